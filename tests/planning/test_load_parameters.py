"""Dated usage-rate profiles: a run re-loads the rates of its parameter date."""

import datetime
import shutil
import tempfile
from pathlib import Path

from trappa.planning import params
from trappa.test import BaseTestCase


class LoadParametersTest(BaseTestCase):
    def test_it_gives_a_date_before_the_sourced_profile_the_hand_entered_rates(self):
        ps = params.load(datetime.date(2025, 6, 1))
        self.assertEqual(ps.age_band_starts, (0, 50, 67, 75, 80, 85, 90))
        self.assertEqual(ps.versions["usage_rates"], "2024-01-01")
        self.assertEqual(ps.rates_confidence, "low")
        long_term = ps.level_keys.index("long_term")
        self.assertEqual(ps.rates()[0, 95, long_term], 0.25)

    def test_it_gives_later_dates_the_rates_derived_from_ssb(self):
        ps = params.load(datetime.date(2026, 11, 23))
        self.assertEqual(ps.age_band_starts, (0, 67, 80, 90))
        self.assertEqual(ps.versions["usage_rates"], "2026-11-23")
        self.assertIn("14288", ps.rates_source)
        rates = ps.rates()
        long_term = ps.level_keys.index("long_term")
        self.assertEqual(rates[0, 79, long_term], 0.0074)
        self.assertEqual(rates[1, 80, long_term], 0.069)
        self.assertEqual(rates[1, 105, long_term], 0.195)
        self.assertTrue((rates.sum(axis=2) < 1).all(), "levels are exclusive: at most everyone")

    def test_it_refuses_a_profile_lacking_a_level(self):
        with tempfile.TemporaryDirectory() as tmp:
            for name in params.FILES:
                shutil.copy(params.DIRECTORY / name, tmp)
            path = Path(tmp) / "levels.toml"
            path.write_text(path.read_text().replace("day_care = [0.0001, 0.0035, 0.0125, 0.010]\n", ""))
            with self.assertRaisesMessage(params.ParameterError, "female rates of day_care need 4 values"):
                params.load(datetime.date(2026, 12, 1), directory=Path(tmp))

    def test_a_changed_file_counts_at_once_though_parsed_files_are_kept(self):
        with tempfile.TemporaryDirectory() as tmp:
            for name in params.FILES:
                shutil.copy(params.DIRECTORY / name, tmp)
            on = datetime.date(2026, 12, 1)
            before = params.load(on, directory=Path(tmp))
            path = Path(tmp) / "economy.toml"
            text = path.read_text()
            self.assertIn(
                str(before.checksums["economy.toml"]), params.load(on, directory=Path(tmp)).checksums.values()
            )
            path.write_text(text + "\n# a comment changes the checksum\n")
            after = params.load(on, directory=Path(tmp))
            self.assertNotEqual(after.checksums["economy.toml"], before.checksums["economy.toml"])
            # A broken file is refused on every load, not only the first.
            path.write_text(text + "\n[[broken\n")
            for _ in range(2):
                with self.assertRaises(params.ParameterError):
                    params.load(on, directory=Path(tmp))

    def test_a_load_gets_its_own_values_to_change(self):
        on = datetime.date(2026, 12, 1)
        first = params._read(params.DIRECTORY / "levels.toml")
        first["levels"].clear()
        self.assertTrue(params.load(on).levels)
