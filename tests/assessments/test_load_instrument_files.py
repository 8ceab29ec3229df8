"""The loader refuses a malformed instrument file as a whole, naming every problem."""

import tempfile
from pathlib import Path

from django.test import SimpleTestCase

from trappa.assessments.instruments import InstrumentFileError, load_directory, load_text

VALID = """
id = "walk"
version = "1"
name = { nb = "Gang", nn = "Gang", en = "Walk" }

[source]
citation = "A published protocol, 2020."

[licence]
status = "public-domain"
holder = "A federal agency"
reason = "A federal work."

[scoring]
method = "sum"
min = 0
max = 3

[[codes]]
id = "refused"
label = { nb = "Ville ikke", nn = "Ville ikkje", en = "Refused" }
points = 0

[[items]]
id = "pretest"
kind = "yes_no"
label = { nb = "Forprøve", nn = "Førprøve", en = "Pre-test" }
points = { yes = 1, no = 0 }

[[items]]
id = "time"
kind = "measure"
label = { nb = "Tid", nn = "Tid", en = "Time" }
unit = { nb = "sekunder", nn = "sekund", en = "seconds" }
min = 1
max = 60
decimals = 2
codes = ["refused"]
requires = { item = "pretest", answer = true }
bands = [
  { min = 1, max = 9.99, points = 2 },
  { min = 10, max = 60, points = 1 },
]

[[bands]]
id = "low"
min = 0
max = 1
label = { nb = "Lav", nn = "Låg", en = "Low" }
meaning = { nb = "Lav.", nn = "Låg.", en = "Low." }

[[bands]]
id = "high"
min = 2
max = 3
label = { nb = "Høy", nn = "Høg", en = "High" }
meaning = { nb = "Høy.", nn = "Høg.", en = "High." }

[[cases]]
name = "fast"
answers = { pretest = true, time = 5 }
total = 3
band = "high"
"""


class LoadInstrumentFilesTest(SimpleTestCase):
    def problems(self, text):
        with self.assertRaises(InstrumentFileError) as raised:
            load_text(text, "walk.toml")
        return raised.exception.problems

    def assert_refused(self, text, fragment):
        problems = self.problems(text)
        self.assertTrue(any(fragment in problem for problem in problems), problems)

    def test_it_loads_the_valid_file_these_tests_start_from(self):
        instrument = load_text(VALID)
        self.assertEqual([item.id for item in instrument.items], ["pretest", "time"])
        self.assertEqual(instrument.total_max, 3)

    def test_it_rejects_text_that_is_not_toml(self):
        self.assert_refused(VALID + "\nthis is = = not toml", "not valid TOML")

    def test_it_rejects_an_unknown_key_so_a_typo_cannot_drop_a_rule(self):
        self.assert_refused(VALID.replace("requires =", "require ="), "unknown key 'require'")

    def test_it_rejects_a_missing_translation(self):
        self.assert_refused(VALID.replace('nn = "Tid", ', ""), "'label' lacks a text in nn")

    def test_it_rejects_point_bands_with_a_gap(self):
        self.assert_refused(VALID.replace("{ min = 10, max = 60", "{ min = 10.5, max = 60"), "a gap or an overlap")

    def test_it_rejects_point_bands_that_overlap(self):
        self.assert_refused(VALID.replace("{ min = 10, max = 60", "{ min = 9.5, max = 60"), "a gap or an overlap")

    def test_it_rejects_point_bands_that_stop_short_of_the_valid_range(self):
        text = VALID.replace("{ min = 10, max = 60", "{ min = 10, max = 50")
        self.assert_refused(text, "not at the end of the range")

    def test_it_rejects_interpretation_bands_that_leave_a_total_uncovered(self):
        self.assert_refused(VALID.replace("min = 2\nmax = 3", "min = 2\nmax = 2"), "not at the end of the range 3")

    def test_it_rejects_a_declared_total_range_the_items_cannot_produce(self):
        self.assert_refused(VALID.replace("min = 0\nmax = 3\n", "min = 0\nmax = 12\n"), "possible totals 0 and 3")

    def test_it_reads_the_clinically_meaningful_change(self):
        self.assertIsNone(load_text(VALID).meaningful_change)
        instrument = load_text(VALID.replace("max = 3\n", "max = 3\nmeaningful_change = 1\n", 1))
        self.assertEqual(instrument.meaningful_change, 1)

    def test_it_rejects_a_meaningful_change_that_is_not_more_than_0(self):
        text = VALID.replace("max = 3\n", "max = 3\nmeaningful_change = 0\n", 1)
        self.assert_refused(text, "'meaningful_change' must be more than 0")

    def test_it_rejects_an_unknown_scoring_key(self):
        self.assert_refused(VALID.replace("max = 3\n", "max = 3\nmeaningfull_change = 1\n", 1), "unknown key")

    def test_it_rejects_a_stop_rule_that_points_at_a_later_item(self):
        self.assert_refused(VALID.replace('item = "pretest"', 'item = "later"'), "must name an earlier item")

    def test_it_rejects_a_stop_rule_answer_the_item_cannot_have(self):
        self.assert_refused(VALID.replace("answer = true", 'answer = "maybe"'), "not a possible answer to pretest")

    def test_it_rejects_a_points_stop_rule_on_an_item_that_gives_no_points(self):
        extra = (
            '\n[[items]]\nid = "extra"\nkind = "yes_no"\nscored = false\n'
            'label = { nb = "E", nn = "E", en = "E" }\nrequires = { item = "age", min_points = 1 }\n'
        )
        text = CONTEXT.replace("max = 120\n", "max = 120\n" + extra, 1)
        self.assert_refused(text, "'min_points' needs a scored item")

    def test_it_rejects_a_code_the_file_does_not_define(self):
        self.assert_refused(VALID.replace('codes = ["refused"]', 'codes = ["asleep"]'), "'asleep' is not defined")

    def test_it_rejects_a_code_without_points_in_a_summed_instrument(self):
        self.assert_refused(VALID.replace("points = 0\n\n[[items]]", "\n[[items]]"), "every code needs the points")

    def test_it_rejects_an_unknown_item_kind(self):
        self.assert_refused(VALID.replace('kind = "yes_no"', 'kind = "slider"'), "'kind' must be one of")

    def test_it_rejects_a_licence_that_does_not_allow_shipping(self):
        text = VALID.replace('status = "public-domain"', 'status = "licensed-for-fee"')
        self.assert_refused(text, "'licensed-for-fee' does not allow the project to ship the instrument")

    def test_it_rejects_a_file_without_a_licence(self):
        licence = '[licence]\nstatus = "public-domain"\nholder = "A federal agency"\nreason = "A federal work."\n'
        text = VALID.replace(licence, "")
        self.assert_refused(text, "a [licence] table is required")

    def test_it_rejects_a_licence_without_a_reason(self):
        self.assert_refused(VALID.replace('reason = "A federal work."', ""), "'reason' must be a non-empty text")

    def test_it_rejects_a_file_without_a_citation(self):
        self.assert_refused(VALID.replace('citation = "A published protocol, 2020."', ""), "'citation' must be")

    def test_it_rejects_a_file_without_named_cases(self):
        text = VALID.split("[[cases]]")[0]
        self.assert_refused(text, "needs named test cases")

    def test_it_rejects_a_case_expecting_a_band_that_does_not_exist(self):
        self.assert_refused(VALID.replace('band = "high"', 'band = "medium"'), "there is no band 'medium'")

    def test_it_rejects_a_case_that_expects_nothing(self):
        self.assert_refused(VALID.replace("total = 3\n", ""), "a case expects exactly one of")

    def test_it_rejects_norm_groups_a_person_could_fall_in_twice(self):
        text = CONTEXT.replace("age = [70, 79]", "age = [65, 79]")
        self.assert_refused(text, "overlap")

    def test_it_accepts_norm_groups_that_do_not_overlap(self):
        self.assertEqual(len(load_text(CONTEXT).bands), 4)

    def test_it_lists_every_problem_at_once(self):
        text = VALID.replace('nn = "Tid", ', "").replace('status = "public-domain"', 'status = "proprietary"')
        self.assertGreaterEqual(len(self.problems(text)), 2)

    def test_the_error_names_the_file(self):
        with self.assertRaises(InstrumentFileError) as raised:
            load_text(VALID.replace('kind = "yes_no"', 'kind = "slider"'), "walk.toml")
        self.assertTrue(str(raised.exception).startswith("walk.toml: "))


class LoadInstrumentDirectoryTest(SimpleTestCase):
    def write(self, directory, name, text):
        Path(directory, name).write_text(text, encoding="utf-8")

    def test_it_rejects_a_file_not_named_after_its_id(self):
        with tempfile.TemporaryDirectory() as directory:
            self.write(directory, "gait.toml", VALID)
            with self.assertRaisesMessage(InstrumentFileError, "must be named after its id: walk.toml"):
                load_directory(directory)

    def test_it_rejects_two_files_with_the_same_id(self):
        with tempfile.TemporaryDirectory() as directory:
            self.write(directory, "walk.toml", VALID)
            self.write(directory, "walk2.toml", VALID)
            with self.assertRaisesMessage(InstrumentFileError, "already used by another file"):
                load_directory(directory)

    def test_it_loads_a_directory_of_valid_files(self):
        with tempfile.TemporaryDirectory() as directory:
            self.write(directory, "walk.toml", VALID)
            self.assertEqual(list(load_directory(directory)), ["walk"])


CONTEXT = """
id = "stands"
version = "1"
name = { nb = "Reisninger", nn = "Reisingar", en = "Stands" }
source = { citation = "Norms, 1999." }
licence = { status = "public-domain", holder = "An agency", reason = "A federal work." }
scoring = { method = "value" }

[[items]]
id = "count"
kind = "measure"
label = { nb = "Antall", nn = "Tal", en = "Count" }
unit = { nb = "ganger", nn = "gonger", en = "times" }
min = 0
max = 50

[[items]]
id = "age"
kind = "measure"
scored = false
label = { nb = "Alder", nn = "Alder", en = "Age" }
unit = { nb = "år", nn = "år", en = "years" }
min = 18
max = 120

[[bands]]
id = "below"
when = { age = [60, 69] }
min = 0
max = 11
label = { nb = "Under", nn = "Under", en = "Below" }
meaning = { nb = "Under.", nn = "Under.", en = "Below." }

[[bands]]
id = "above"
when = { age = [60, 69] }
min = 12
max = 50
label = { nb = "Over", nn = "Over", en = "Above" }
meaning = { nb = "Over.", nn = "Over.", en = "Above." }

[[bands]]
id = "below"
when = { age = [70, 79] }
min = 0
max = 9
label = { nb = "Under", nn = "Under", en = "Below" }
meaning = { nb = "Under.", nn = "Under.", en = "Below." }

[[bands]]
id = "above"
when = { age = [70, 79] }
min = 10
max = 50
label = { nb = "Over", nn = "Over", en = "Above" }
meaning = { nb = "Over.", nn = "Over.", en = "Above." }

[[cases]]
name = "average at 65"
answers = { count = 12, age = 65 }
total = 12
band = "above"
"""
