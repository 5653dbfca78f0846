"""Expands recurrence rules with python-dateutil (an implementation that is not Outpost's).

Reads a JSON list of cases on stdin, writes a JSON list of lists of local start times
("YYYY-MM-DDTHH:MM") on stdout. Weekdays are 0 = Sunday ... 6 = Saturday, as in MS-OXOCAL.
"""
import json
import sys
from datetime import datetime

from dateutil import rrule

FREQ = {"daily": rrule.DAILY, "weekly": rrule.WEEKLY, "monthly": rrule.MONTHLY,
        "yearly": rrule.YEARLY}
# dateutil numbers weekdays from Monday.
DAYS = [rrule.SU, rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA]


def parse(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M")


def expand(case):
    args = {"interval": case["interval"], "dtstart": parse(case["dtstart"])}
    if case.get("byweekday") is not None:
        args["byweekday"] = [DAYS[d] for d in case["byweekday"]]
    for key in ("bymonthday", "bymonth", "bysetpos"):
        if case.get(key) is not None:
            args[key] = case[key]
    if case.get("wkst") is not None:
        args["wkst"] = DAYS[case["wkst"]]
    if case.get("count") is not None:
        args["count"] = case["count"]
    else:
        args["until"] = parse(case["until"])
    rule = rrule.rrule(FREQ[case["freq"]], **args)
    exdates = {parse(d).date() for d in case.get("exdates", [])}
    end = parse(case["range_end"])
    out = []
    for moment in rule:
        if moment >= end:
            break
        if moment.date() not in exdates:
            out.append(moment.strftime("%Y-%m-%dT%H:%M"))
    return out


print(json.dumps([expand(case) for case in json.load(sys.stdin)]))
