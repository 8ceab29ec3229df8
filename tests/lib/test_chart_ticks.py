"""Axis ticks of the charts, for large and for tiny numbers (a small register's few users)."""

from django.test import SimpleTestCase

from trappa.lib.charts import nice_ticks


class NiceTicksTest(SimpleTestCase):
    def test_it_steps_by_round_numbers(self):
        self.assertEqual(nice_ticks(0, 1000), [0, 200, 400, 600, 800, 1000])

    def test_a_span_below_one_gets_a_few_decimal_ticks(self):
        ticks = nice_ticks(0, 0.3)
        self.assertLessEqual(len(ticks), 11)
        self.assertAlmostEqual(ticks[1] - ticks[0], 0.06)
        self.assertAlmostEqual(ticks[-1], 0.3)
