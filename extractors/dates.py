"""Finnish dates and periods, normalised to ISO at the precision the text gives.

"1.2.2020–31.1.2022", "(2020-2022)", "31.08.2019 saakka", "1.1.2021 alkaen",
"vuonna 2009", "tammikuussa 2024", "joulukuun 2023", "kevät 2024",
"2024–2026". A day that does not exist (31.11.2021) keeps the precision that
is valid ("2021-11") and is reported as a warning, never "fixed".
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from extractors.conventions import conventions

Role = Literal["point", "start", "end"]


@dataclass(frozen=True)
class DateMention:
    """A date found in text: ISO value ("2021", "2021-11", "2021-11-30"), its role and span."""

    value: str
    role: Role
    start: int
    end: int
    warning: str | None = None


@dataclass(frozen=True)
class PeriodMention:
    """A start and/or end found together ("1.2.2020–31.1.2022"), with the span of the whole."""

    start_date: DateMention | None
    end_date: DateMention | None
    start: int
    end: int

    @property
    def warnings(self) -> list[str]:
        return [d.warning for d in (self.start_date, self.end_date) if d is not None and d.warning]


def _conventions() -> dict:
    return conventions("dates_fi.json")


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    c = _conventions()
    dash = "|".join(re.escape(d) for d in c["range_dashes"])
    day = r"(?P<{n}d>\d{{1,2}})\.(?P<{n}m>\d{{1,2}})\.(?P<{n}y>\d{{4}})"
    month_alt = "|".join(
        sorted({f"{stem}{suffix}" for stem in c["months"].values() for suffix in c["month_suffixes"]}, key=len, reverse=True)
    )
    season_alt = "|".join(sorted({f for s in c["seasons"].values() for f in s["forms"]}, key=len, reverse=True))
    year = r"(?<![\d.])(?:19|20)\d{2}(?![\d])"
    return {
        "day_range": re.compile(
            rf"(?<![\d.]){day.format(n='a')}\s*(?:{dash})\s*{day.format(n='b')}(?![\d])"
        ),
        "day": re.compile(rf"(?<![\d.]){day.format(n='a')}(?![\d])"),
        "month_year": re.compile(rf"\b(?P<month>{month_alt})\s+(?P<year>{year})", re.IGNORECASE),
        "season_year": re.compile(rf"\b(?P<season>{season_alt})\s+(?P<year>{year})", re.IGNORECASE),
        "year_range": re.compile(rf"(?P<a>{year})\s*(?:{dash})\s*(?P<b>{year})"),
        "year": re.compile(year),
        "until": re.compile(rf"^\s*(?:{'|'.join(map(re.escape, c['until_words']))})\b", re.IGNORECASE),
        "from": re.compile(rf"^\s*(?:{'|'.join(map(re.escape, c['from_words']))})", re.IGNORECASE),
    }


def iso_day(day: int, month: int, year: int) -> tuple[str, str | None]:
    """ISO date at the precision that is valid, and a warning when the day or month is impossible."""
    if not 1 <= month <= 12:
        return f"{year:04d}", f"impossible date {day}.{month}.{year}: month {month} does not exist"
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return f"{year:04d}-{month:02d}", f"impossible date {day}.{month}.{year}: {calendar.month_name[month]} has {last} days"
    return f"{year:04d}-{month:02d}-{day:02d}", None


def find_periods(text: str) -> list[PeriodMention]:
    """Every date or period in ``text``, longest forms first, none overlapping."""
    taken: list[tuple[int, int]] = []
    found: list[PeriodMention] = []
    for period in _candidates(text):
        if any(period.start < e and s < period.end for s, e in taken):
            continue
        taken.append((period.start, period.end))
        found.append(period)
    return _paired(text, sorted(found, key=lambda p: p.start))


def _paired(text: str, periods: list[PeriodMention]) -> list[PeriodMention]:
    """A start followed closely, in the same sentence, by an end is one period
    ("syyskuusta 2025 elokuuhun 2027", "käynnistyy tammikuussa 2026 ja päättyy 31.12.2027")."""
    out: list[PeriodMention] = []
    for period in periods:
        last = out[-1] if out else None
        if (
            last is not None
            and last.start_date is not None and last.end_date is None and last.start_date.role == "start"
            and period.end_date is not None and period.start_date is None
            and period.start - last.end <= 40 and not re.search(r"[.!?]\s", text[last.end : period.start])
            and period.end_date.value >= last.start_date.value
        ):
            out[-1] = PeriodMention(last.start_date, period.end_date, last.start, period.end)
        else:
            out.append(period)
    return out


def _candidates(text: str) -> Iterator[PeriodMention]:
    p = _patterns()
    for m in p["day_range"].finditer(text):
        a = _day(m, "a", "start")
        b = _day(m, "b", "end")
        yield PeriodMention(a, b, m.start(), m.end())
    for m in p["day"].finditer(text):
        yield _single(text, m, _day(m, "a", "point"))
    for m in p["month_year"].finditer(text):
        value = f"{int(m['year']):04d}-{_month_number(m['month']):02d}"
        yield _single(text, m, DateMention(value, "point", m.start(), m.end()))
    for m in p["season_year"].finditer(text):
        yield _single(text, m, DateMention(m["year"], "point", m.start(), m.end()))
    for m in p["year_range"].finditer(text):
        if int(m["a"]) <= int(m["b"]):
            a = DateMention(m["a"], "start", m.start("a"), m.end("a"))
            b = DateMention(m["b"], "end", m.start("b"), m.end("b"))
            yield PeriodMention(a, b, m.start(), m.end())
    for m in p["year"].finditer(text):
        if _plausible_year(int(m.group())):
            yield _single(text, m, DateMention(m.group(), "point", m.start(), m.end()))


def _day(match: re.Match[str], name: str, role: Role) -> DateMention:
    value, warning = iso_day(int(match[f"{name}d"]), int(match[f"{name}m"]), int(match[f"{name}y"]))
    return DateMention(value, role, match.start(f"{name}d"), match.end(f"{name}y"), warning)


def _single(text: str, match: re.Match[str], date: DateMention) -> PeriodMention:
    """A lone date; "saakka"/"asti" after it makes it an end, "alkaen" a start; so do the case of
    its month or year word (elative "syyskuusta" from, illative "elokuuhun" to) and a verb of
    starting or ending just before it."""
    tail = text[match.end() : match.end() + 20]
    role = _role_around(text, match)
    if _patterns()["until"].match(tail) or role == "end":
        return PeriodMention(None, _with_role(date, "end"), match.start(), match.end())
    if _patterns()["from"].match(tail) or role == "start":
        return PeriodMention(_with_role(date, "start"), None, match.start(), match.end())
    return PeriodMention(date, None, match.start(), match.end())


def _role_around(text: str, match: re.Match[str]) -> Role | None:
    c = _conventions()
    before = re.findall(r"[\wåäö]+", text[max(0, match.start() - 30) : match.start()].casefold())
    word = match.group().split()[0].casefold() if not match.group()[:1].isdigit() else (before[-1] if before else "")
    if before and before[-1] in c["start_verbs"] or any(word.endswith(e) for e in c["elative_forms"]):
        return "start"
    if before and before[-1] in c["end_verbs"] or any(word.endswith(e) for e in c["illative_forms"]):
        return "end"
    return None


def _with_role(date: DateMention, role: Role) -> DateMention:
    return DateMention(date.value, role, date.start, date.end, date.warning)


def _month_number(word: str) -> int:
    word = word.casefold()
    for number, stem in _conventions()["months"].items():
        if word.startswith(stem):
            return int(number)
    raise ValueError(f"not a month: {word}")


def _plausible_year(year: int) -> bool:
    return _conventions()["min_year"] <= year <= _conventions()["max_year"]
