import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from koshiqon.demo.generator import (
    DEFAULT_BATCH,
    DemoError,
    demo_generate,
    demo_previous_run,
    demo_unfinished_run,
)
from koshiqon.kandas.demo import KandasDemoError, kandas_demo


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Generate deterministic synthetic persons in households, with IINs and passports: the same --size and "
        "--seed give the same data. Does nothing when data of that seed is already loaded; run again to finish "
        "an interrupted run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", type=positive, default=1000, help="number of persons (default 1000)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument("--batch-size", type=positive, default=DEFAULT_BATCH, help="persons per transaction")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, size, seed, batch_size, no_progress, verbosity, **options):
        if previous := demo_previous_run(seed):
            self.stdout.write(
                f"demo data of seed {seed} is already loaded ({previous.get('persons')} persons in "
                f"{previous.get('families')} households): nothing to do"
            )
            self._kandas(seed, previous.get("families", 0))
            self._adaptation(seed)
            self._labour(seed)
            self._placement(seed)
            return
        if unfinished := demo_unfinished_run(seed):
            self.stdout.write(f"finishing an interrupted run of seed {seed}: {unfinished.get('persons')} of "
                              f"{unfinished.get('size')} persons were written")
        bar = tqdm(total=size, unit=" persons", unit_scale=True, file=sys.stderr,
                   disable=no_progress or verbosity == 0, desc=f"demo seed {seed}")

        def progress(done: int, total: int, message: str = "") -> None:
            bar.update(done - bar.n)

        started = time.monotonic()
        try:
            outcome = demo_generate(size=size, seed=seed, progress=progress, batch_size=batch_size)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
        if not outcome.created:  # another run finished it in the meantime
            self.stdout.write(f"demo data of seed {seed} is already loaded: nothing to do")
            return
        seconds = time.monotonic() - started
        self.stdout.write(
            f"generated {outcome.persons} persons in {outcome.families} households, {outcome.documents} passports, "
            f"{outcome.with_iin} IINs (seed {seed}) in {seconds:.1f} s"
        )
        self._kandas(seed, outcome.families)
        self._adaptation(seed)
        self._labour(seed)
        self._placement(seed)

    def _kandas(self, seed: int, families: int) -> None:
        """Kandas applications of last year (for what-if comparisons) and of this year, from the demo families."""
        this_year = timezone.localdate().year
        for year in (this_year - 1, this_year):
            try:
                counts = kandas_demo(year=year, size=max(families // 8, 1), seed=seed, by="koshiqon demo")
            except KandasDemoError as exc:
                self.stderr.write(f"kandas demo applications skipped: {exc}")
                return
            state = "created" if counts.get("created", True) else "already loaded"
            self.stdout.write(f"kandas applications {year}: {counts.get('applications', 0)} ({state})")

    def _adaptation(self, seed: int) -> None:
        """Adaptation centres (the "centre" account as staff in Pavlodar), plans, stays and outcomes of the demo
        kandas families."""
        from koshiqon.adaptation.demo import AdaptationDemoError, adaptation_demo

        try:
            counts = adaptation_demo(seed=seed, by="koshiqon demo")
        except AdaptationDemoError as exc:
            self.stderr.write(f"adaptation demo data skipped: {exc}")
            return
        state = "created" if counts.get("created", True) else "already loaded"
        self.stdout.write(f"adaptation: {counts.get('centres', 0)} centres, {counts.get('plans', 0)} plans, "
                          f"{counts.get('stays', 0)} stays, {counts.get('outcomes', 0)} outcomes ({state})")

    def _labour(self, seed: int) -> None:
        """Employers with their staff, vacancies on the labour exchange and registered jobseekers."""
        from koshiqon.labour.demo import LabourDemoError, labour_demo

        try:
            counts = labour_demo(seed=seed, by="koshiqon demo")
        except LabourDemoError as exc:
            self.stderr.write(f"labour demo data skipped: {exc}")
            return
        state = "created" if counts.get("created", True) else "already loaded"
        self.stdout.write(f"labour: {counts.get('employers', 0)} employers, {counts.get('vacancies', 0)} vacancies, "
                          f"{counts.get('jobseekers', 0)} jobseekers ({state})")
        from koshiqon.labour.permits_demo import permits_demo

        try:  # applications in every state, permits, extensions, household permits (after the labour demo)
            permits = permits_demo(seed=seed, by="koshiqon demo")
        except LabourDemoError as exc:
            self.stderr.write(f"permit demo data skipped: {exc}")
            return
        state = "created" if permits.get("created", True) else "already loaded"
        self.stdout.write(f"permits: {permits.get('applications', 0)} applications, "
                          f"{permits.get('household', 0)} household permits ({state})")

    def _placement(self, seed: int) -> None:
        """Past arrivals drawn from the illustrative ground truth, a model trained on them, and a draft batch
        of the year's admitted families once the selection is approved."""
        from koshiqon.placement.demo import placement_demo

        counts = placement_demo(seed=seed, by="koshiqon demo")
        history = counts["history"]
        self.stdout.write(f"placement: history of {history['families']} past families "
                          f"({'created' if history['created'] else 'already loaded'}); model: {counts['model']}; "
                          f"batch: {counts['batch']}")
