"""Background tasks of outreach: building the worklist and printing a batch of letters."""

import os

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tasks import task

from trappa.jobs.progress import running
from trappa.letters.documents import print_letters
from trappa.outreach import letters, worklist
from trappa.outreach.medicine_import import import_medicine_lists
from trappa.outreach.models import WorklistEntry
from trappa.people.models import Person
from trappa.people.tasks import run_file_import

# The job kind of the medicine-list upload, registered in OutreachConfig.ready().
MEDICINE_LIST_IMPORT = "medicine_list_import"

BUILDING = gettext_noop("Evaluating the outreach rules")
RULES_PROBLEM = gettext_noop("The worklist could not be built: the municipality's rule file has a problem.")


@task()
def build_worklist_task(job_id):
    with running(job_id) as (job, progress):
        progress.update(0, 1, BUILDING)
        try:
            result, message = vars(worklist.build(job.municipality)), ""
        except worklist.WorklistError as exc:
            # A data problem, not a crash: the page says so and the administrators get the detail.
            result, message = {"error": str(exc)}, RULES_PROBLEM
        progress.update(1, 1, BUILDING)
        # Set last: progress updates write their stage into the message.
        job.result, job.message = result, message
    return job.result


PREPARING = gettext_noop("Preparing the letters")
LAYING_OUT = gettext_noop("Laying out the letters")
PRINTING = gettext_noop("Writing the PDF file")
NO_TEMPLATE = gettext_noop("The letters could not be made: a letter template is missing.")
CANNOT_PRINT = gettext_noop(
    "The letters could not be made: your unit has no phone number, or a letter text is missing. "
    "An administrator adds the phone under Units and departments."
)


@task()
def render_letters_task(job_id):
    """Render one PDF with a letter for each person the job names, into LETTERS_DIR."""
    with running(job_id) as (job, progress):
        ids = job.params["person_ids"]
        entries = {e.person_id: e.reasons for e in WorklistEntry.objects.filter(person_id__in=ids)}
        persons = Person.objects.filter(pk__in=ids, municipality=job.municipality).select_related("municipality")
        persons = sorted(persons, key=lambda p: (p.postal_code, p.family_name, p.given_name, p.pk))
        # Three steps: each letter prepared, each letter laid out (most of the time), the file written.
        total = 2 * len(persons) + 1
        try:
            ruleset = worklist.ruleset_for(job.municipality)
            unit, reference = job.started_by.unit if job.started_by else None, f"letters-job-{job.pk}"
            batch = []
            for number, person in enumerate(persons, start=1):
                batch.append(letters.invitation(person, entries.get(person.pk, []), ruleset, unit, reference))
                progress.update(number, total, PREPARING)

            def laid_out(done, _count):
                progress.update(len(persons) + done, total, LAYING_OUT if done < len(persons) else PRINTING)

            # Recorded on each person once per job, however often the job is run again.
            pdf = print_letters(batch, job_day(job), by=job.started_by, title=str(job.label), progress=laid_out)
            write_private(letters_path(job), pdf)
            result, message = {"letters": len(persons)}, ""
        except worklist.WorklistError as exc:
            result, message = {"error": str(exc)}, NO_TEMPLATE
        except letters.LetterError as exc:
            result, message = {"error": str(exc)}, CANNOT_PRINT
        progress.update(total, total, PRINTING)
        job.result, job.message = result, message
    return job.result


def job_day(job):
    return timezone.localtime(job.created_at).date()


def letters_path(job):
    return settings.LETTERS_DIR / f"letters-{job.pk}.pdf"


def write_private(path, content):
    """Write a file only the service may read (it holds names and addresses)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
        out.write(content)


@task()
def import_medicine_list_file(job_id, path):
    """Import an uploaded file of medicine lists, all or nothing, then delete it: it holds national IDs."""
    return run_file_import(job_id, path, import_medicine_lists)
