"""Reading JSON values with French error messages that name the field (`path : message`)."""

import math


class InstanceError(Exception):
    """An instance that cannot be solved; `errors` are `path : message` lines in French."""

    def __init__(self, errors):
        self.errors = list(errors)
        count = len(self.errors)
        self.summary = (
            f"Instance refusée : {count} erreur{'s' if count > 1 else ''}, aucun calcul fait."
        )
        super().__init__("\n".join([*self.errors, self.summary]))


class FieldChecker:
    """Collects `path : message` errors while reading values."""

    def __init__(self):
        self.errors = []

    def error(self, path, message):
        self.errors.append(f"{path} : {message}")

    def number(self, obj, key, path, *, default=None, required=False, low=None, high=None):
        value = obj.get(key, default)
        if value is None:
            if required:
                self.error(f"{path}.{key}", "champ obligatoire manquant (nombre attendu)")
            return default if default is not None else 0.0
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(f"{path}.{key}", "nombre attendu")
            return 0.0
        if not math.isfinite(value):
            self.error(f"{path}.{key}", "nombre fini attendu")
            return 0.0
        if low is not None and value < low:
            bounds = f"entre {low} et {high}" if high is not None else f"supérieur ou égal à {low}"
            self.error(f"{path}.{key}", f"nombre {bounds} attendu")
        elif high is not None and value > high:
            self.error(f"{path}.{key}", f"nombre entre {low} et {high} attendu")
        return float(value)

    def integer(self, obj, key, path, *, required=False, default=0):
        value = obj.get(key, None)
        if value is None:
            if required:
                self.error(f"{path}.{key}", "champ obligatoire manquant (entier attendu)")
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            else:
                self.error(f"{path}.{key}", "entier positif ou nul attendu")
                return default
        if value < 0:
            self.error(f"{path}.{key}", "entier positif ou nul attendu")
            return default
        return value

    def boolean(self, obj, key, path):
        value = obj.get(key, None)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.error(f"{path}.{key}", "booléen attendu (true ou false)")
            return False
        return value

    def text(self, obj, key, path, *, required=True):
        value = obj.get(key, None)
        if value is None:
            if required:
                self.error(f"{path}.{key}", "champ obligatoire manquant (texte attendu)")
            return None
        if not isinstance(value, str) or not value:
            self.error(f"{path}.{key}", "texte non vide attendu")
            return None
        return value

    def choice(self, obj, key, path, choices):
        value = obj.get(key, None)
        if value not in choices:
            shown = ", ".join("null" if c is None else f"« {c} »" for c in choices)
            self.error(f"{path}.{key}", f"une de ces valeurs attendue : {shown}")
            return 0
        return choices.index(value)

    def text_list(self, obj, key, path):
        value = obj.get(key, None)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(f"{path}.{key}", "liste de textes attendue")
            return []
        items = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item:
                self.error(f"{path}.{key}[{i}]", "texte non vide attendu")
            else:
                items.append(item)
        return items

    def objects(self, document, key, *, required=True):
        value = document.get(key, None)
        if value is None:
            if required:
                self.error(key, "champ obligatoire manquant (liste attendue)")
            return []
        if not isinstance(value, list):
            self.error(key, "liste attendue")
            return []
        items = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                self.error(f"{key}[{i}]", "objet attendu")
            else:
                items.append((i, item))
        return items

    def mapping(self, obj, key, path):
        value = obj.get(key, None)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(f"{path}{'.' if path else ''}{key}", "objet attendu")
            return {}
        return value
