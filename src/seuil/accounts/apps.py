from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "seuil.accounts"
    verbose_name = "Comptes"

    def ready(self):
        from seuil.core.slots import register_slot

        # The header: « Utilisateurs », for those who see the organisation's accounts.
        register_slot("main_navigation", "accounts/_nav_users.html", order=80)
