def test_anonymous_visitor_is_sent_to_the_login_page(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/connexion/")


def test_accessibility_statement_is_public(client, db):
    response = client.get("/accessibilite/")
    assert response.status_code == 200
    assert "Déclaration d'accessibilité" in response.content.decode()


def test_logged_in_user_sees_the_home_page(client_a):
    response = client_a.get("/")
    assert response.status_code == 200
    assert "Camille" in response.content.decode()
