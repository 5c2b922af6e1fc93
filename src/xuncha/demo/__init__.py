"""The demo county: an invented city, two counties and their people, and two terms of the
county's inspection rounds with their groups and fieldwork, for trying xuncha out.

`make_plan(seed)` draws the county as plain data; `build(plan)` stores it in one transaction.
"""

from xuncha.demo.plan import DEFAULT_SEED, Plan, make_plan

__all__ = ["DEFAULT_SEED", "Plan", "make_plan"]
