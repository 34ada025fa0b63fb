"""`seuil db_worker`: django-tasks' database worker, with a heartbeat (`core.workers`): the
tasks left running by a worker that was killed are taken back within minutes."""

from django_tasks_db.management.commands import db_worker

from seuil.core.workers import Heartbeat


class Worker(db_worker.Worker):
    def run(self):
        heartbeat = Heartbeat(self.worker_id)
        heartbeat.start()
        try:
            return super().run()
        finally:
            heartbeat.stop()


class Command(db_worker.Command):
    help = (
        "Exécuter les tâches d'arrière-plan (appariements, imports, courriels) ; le "
        "processus donne signe de vie toutes les 10 secondes et reprend les tâches laissées "
        "en cours par un processus arrêté."
    )

    def handle(self, *args, **options):
        db_worker.Worker = Worker  # the command builds its worker by this name
        return super().handle(*args, **options)
