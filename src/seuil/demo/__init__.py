"""The whole demo (`seuil demo`): each app's part in it, planned then written by `load`."""
