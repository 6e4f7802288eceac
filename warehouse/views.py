"""The analysts' views: the common questions answered without joins, as data.

Each view is its SQL plus a description of it and of every column; the
descriptions feed the browser's metadata and the data dictionary. The SQL
is written once for SQLite and PostgreSQL alike: ``{list}`` stands for the
string aggregate each one has (group_concat / string_agg), ``{in_order}``
for what keeps its items in order.

Every view shows the *current* state: the latest version of each document
that is not withdrawn. History stays in the tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, text


@dataclass(frozen=True)
class View:
    name: str
    description: str
    columns: dict[str, str]
    sql: str
    facets: tuple[str, ...] = field(default=())
    sort: str | None = None

    def statement(self, dialect: str) -> str:
        return self.sql.format(list=_STRING_AGGREGATE[dialect], in_order=_IN_ORDER[dialect])


_STRING_AGGREGATE = {"sqlite": "group_concat", "postgresql": "string_agg"}
# Lists keep the order of the subquery they aggregate: SQLite's group_concat
# does so in practice (and 3.40 has no ORDER BY inside it); PostgreSQL's
# string_agg only when told, by the subquery's "first" column.
_IN_ORDER = {"sqlite": "", "postgresql": " ORDER BY first"}


def _listed(expression: str, source: str, order: str, separator: str = "; ") -> str:
    """A correlated list of the distinct values of ``expression``, in ``order`` of first appearance."""
    return (
        f"(SELECT {{list}}(value, '{separator}'{{in_order}}) FROM (SELECT {expression} AS value, min({order}) AS first "
        f"{source} GROUP BY {expression} ORDER BY min({order}), {expression}) AS listed)"
    )


_CURRENT_MENTIONS = (
    "FROM project_mentions m JOIN current_versions c ON c.version_id = m.version_id WHERE m.project_id = p.id"
)
_ROLE = (
    "FROM project_organisations po JOIN organisations o ON o.id = po.organisation_id "
    "JOIN project_mentions m ON m.id = po.mention_id JOIN current_versions c ON c.version_id = m.version_id "
    "WHERE m.project_id = p.id AND po.role = '{role}'"
)
# Funders named by a role word, then those named beside a sum.
_FUNDERS = (
    "FROM (SELECT po.organisation_id AS organisation_id, po.position AS position FROM project_organisations po "
    "JOIN project_mentions m ON m.id = po.mention_id JOIN current_versions c ON c.version_id = m.version_id "
    "WHERE m.project_id = p.id AND po.role = 'funder' "
    "UNION ALL SELECT f.funder_id, 1000 FROM fundings f JOIN current_versions c ON c.version_id = f.version_id "
    "WHERE f.project_id = p.id AND f.funder_id IS NOT NULL) AS r JOIN organisations o ON o.id = r.organisation_id"
)
_LATEST = "(SELECT m.{column} " + _CURRENT_MENTIONS + " AND m.{column} IS NOT NULL ORDER BY m.version_id DESC, m.id LIMIT 1)"

# A contact's details as the latest current document gives them: a withdrawn or
# replaced version's details do not linger.
_LATEST_OF_CONTACT = (
    "(SELECT cm.{column} FROM contact_mentions cm JOIN current_versions c ON c.version_id = cm.version_id "
    "WHERE cm.contact_id = k.id AND cm.{column} IS NOT NULL ORDER BY cm.version_id DESC, cm.id DESC LIMIT 1)"
)

CURRENT_VERSIONS = View(
    name="current_versions",
    description=(
        "Each document that is not withdrawn (its source still exists) and is not a copy of another "
        "(same bytes under another name), with its latest version."
    ),
    columns={
        "document_id": "documents.id",
        "version_id": "document_versions.id of the latest version",
        "source": "The path or URL the document was read from",
        "document": "The file name of the source",
        "title": "The document's title",
        "publisher": "The organisation that published it",
        "kind": "project_list, project_plan, strategy, work_programme, news, ...",
        "media_type": "What the bytes were read as",
        "page_count": "Pages (1 for text and HTML)",
        "loaded_at": "When this version was loaded",
        "first_seen": "When the source was first ingested",
        "last_seen": "When a run last saw the source",
    },
    sql="""
SELECT d.id AS document_id, v.id AS version_id, d.source, d.name AS document, v.title, v.publisher,
       v.kind, v.media_type, v.page_count, v.loaded_at, d.first_seen, d.last_seen
FROM documents d
JOIN document_versions v ON v.id = (SELECT max(v2.id) FROM document_versions v2 WHERE v2.document_id = d.id)
WHERE d.withdrawn_at IS NULL AND d.duplicate_of IS NULL
""",
    facets=("publisher", "kind", "media_type"),
)

REJECTED_VALUES = View(
    name="rejected_values",
    description=(
        "Extracted values a reviewer rejected (`plansift review reject`), where that is still the latest verdict "
        "on the value; the overviews show them in their review column."
    ),
    columns={
        "mark_id": "review_marks.id",
        "record_table": "project_mentions, fundings, contact_mentions or goals",
        "record_id": "The row of that table",
        "field": "The rejected field; empty when the whole record was rejected",
        "value": "The value as it was when rejected",
        "note": "Why, in the reviewer's words",
        "marked_by": "Who rejected it",
        "marked_at": "When",
        "document": "The file name of the document the value was read from",
        "summary": "field value rejected: note, as the overviews list it",
    },
    sql="""
SELECT rm.id AS mark_id, rm.record_table, rm.record_id, rm.field, rm.value, rm.note, rm.marked_by, rm.marked_at,
       d.name AS document,
       coalesce(rm.field, 'record') || ' ' || coalesce(rm.value, '') || ' rejected'
           || CASE WHEN rm.note IS NULL THEN '' ELSE ': ' || rm.note END AS summary
FROM review_marks rm
JOIN document_versions v ON v.id = rm.version_id
JOIN documents d ON d.id = v.document_id
WHERE rm.verdict = 'rejected'
  AND NOT EXISTS (SELECT 1 FROM review_marks later WHERE later.record_table = rm.record_table
                  AND later.record_id = rm.record_id AND coalesce(later.field, '') = coalesce(rm.field, '')
                  AND later.id > rm.id)
""",
    facets=("record_table", "field", "marked_by"),
    sort="mark_id",
)

_REJECTED = "FROM rejected_values r WHERE r.record_table = '{table}' AND r.record_id = {row}"
_REVIEW_COLUMN = "Values of this row a reviewer rejected, with the reviewer's note ('; '-separated)"

PROJECT_OVERVIEW = View(
    name="project_overview",
    description=(
        "One row per project named in a current document: dates, status, theme, who coordinates, "
        "partners and funds it, its total funding and its contacts, merged over every document that names it."
    ),
    columns={
        "project_id": "projects.id",
        "name": "The project's name",
        "start_date": "Earliest start date any document gives (ISO, at the precision given)",
        "end_date": "Latest end date any document gives",
        "status": "ended / ongoing / planned, where the latest document states it",
        "theme": "The heading the project is filed under in the latest document",
        "coordinator": "Coordinating organisation(s) (hallinnoija, päätoteuttaja)",
        "partners": "Partner organisations (osatoteuttajat, yhteistyökumppanit), '; '-separated",
        "funders": "Funding organisations, from roles and from funding sums",
        "total_funding_eur": "Sum of the distinct (funder, instrument, amount) sums stated for the project",
        "contacts": "Contact persons, 'Name <e-mail>'",
        "documents": "The documents that name the project",
        "mentions": "How many times current documents name it",
        "review": _REVIEW_COLUMN,
    },
    sql=f"""
SELECT p.id AS project_id, p.name,
       (SELECT min(m.start_date) {_CURRENT_MENTIONS}) AS start_date,
       (SELECT max(m.end_date) {_CURRENT_MENTIONS}) AS end_date,
       {_LATEST.format(column="status")} AS status,
       {_LATEST.format(column="theme")} AS theme,
       {_listed("o.name", _ROLE.format(role="coordinator"), "po.position")} AS coordinator,
       {_listed("o.name", _ROLE.format(role="partner"), "po.position")} AS partners,
       {_listed("o.name", _FUNDERS, "r.position")} AS funders,
       (SELECT sum(amount) FROM (SELECT DISTINCT f.funder_id, f.instrument, f.amount_eur AS amount FROM fundings f
            JOIN current_versions c ON c.version_id = f.version_id
            WHERE f.project_id = p.id AND f.amount_eur IS NOT NULL AND NOT f.is_total) AS sums) AS total_funding_eur,
       {_listed("CASE WHEN k.email IS NULL THEN k.name WHEN k.name IS NULL THEN k.email "
                "ELSE k.name || ' <' || k.email || '>' END",
                "FROM project_contacts pc JOIN contact_mentions cm ON cm.id = pc.contact_mention_id "
                "JOIN contacts k ON k.id = cm.contact_id JOIN project_mentions m ON m.id = pc.project_mention_id "
                "JOIN current_versions c ON c.version_id = m.version_id WHERE m.project_id = p.id", "pc.position")}
           AS contacts,
       {_listed("c.document", _CURRENT_MENTIONS, "c.document_id")} AS documents,
       (SELECT count(*) {_CURRENT_MENTIONS}) AS mentions,
       {_listed("r.summary", "FROM rejected_values r JOIN project_mentions m ON r.record_table = 'project_mentions' "
                "AND r.record_id = m.id JOIN current_versions c ON c.version_id = m.version_id "
                "WHERE m.project_id = p.id", "r.mark_id")} AS review
FROM projects p
WHERE EXISTS (SELECT 1 {_CURRENT_MENTIONS})
""",
    facets=("status", "theme", "coordinator"),
    sort="name",
)

PROJECT_TIMELINE = View(
    name="project_timeline",
    description="Projects on a time axis: start and end dates and years, by theme, ordered by start.",
    columns={
        "project_id": "projects.id",
        "name": "The project's name",
        "theme": "The heading it is filed under",
        "status": "ended / ongoing / planned, where stated",
        "coordinator": "Coordinating organisation(s)",
        "start_date": "Start (ISO, at the precision given)",
        "end_date": "End (ISO, at the precision given)",
        "start_year": "Year of the start",
        "end_year": "Year of the end",
    },
    sql="""
SELECT project_id, name, theme, status, coordinator, start_date, end_date,
       CAST(substr(start_date, 1, 4) AS INTEGER) AS start_year,
       CAST(substr(end_date, 1, 4) AS INTEGER) AS end_year
FROM project_overview
WHERE start_date IS NOT NULL OR end_date IS NOT NULL
""",
    facets=("theme", "status", "end_year"),
    sort="start_date",
)

CONTACT_OVERVIEW = View(
    name="contact_overview",
    description=(
        "One row per contact person in current documents (one e-mail, one person), with the details the latest "
        "of them gives, organisation and projects."
    ),
    columns={
        "contact_id": "contacts.id",
        "name": "The person's name in the nominative",
        "title": "Title or role (projektipäällikkö, ...)",
        "email": "E-mail address, normalised",
        "phone": "Phone number in E.164",
        "organisation": "The organisation they work for",
        "projects": "Projects they are a contact for",
        "documents": "The documents that name them",
        "review": _REVIEW_COLUMN,
    },
    sql=f"""
SELECT k.id AS contact_id, {_LATEST_OF_CONTACT.format(column="name")} AS name,
       {_LATEST_OF_CONTACT.format(column="title")} AS title, {_LATEST_OF_CONTACT.format(column="email")} AS email,
       {_LATEST_OF_CONTACT.format(column="phone")} AS phone,
       (SELECT o.name FROM contact_mentions cm JOIN current_versions c ON c.version_id = cm.version_id
        JOIN organisations o ON o.id = cm.organisation_id WHERE cm.contact_id = k.id
        ORDER BY cm.version_id DESC, cm.id DESC LIMIT 1) AS organisation,
       {_listed("pm.name", "FROM contact_mentions cm JOIN current_versions c ON c.version_id = cm.version_id "
                "JOIN project_contacts pc ON pc.contact_mention_id = cm.id "
                "JOIN project_mentions m ON m.id = pc.project_mention_id JOIN projects pm ON pm.id = m.project_id "
                "WHERE cm.contact_id = k.id", "m.id")} AS projects,
       {_listed("c.document", "FROM contact_mentions cm JOIN current_versions c ON c.version_id = cm.version_id "
                "WHERE cm.contact_id = k.id", "c.document_id")} AS documents,
       {_listed("r.summary", "FROM rejected_values r JOIN contact_mentions cm ON r.record_table = 'contact_mentions' "
                "AND r.record_id = cm.id JOIN current_versions c ON c.version_id = cm.version_id "
                "WHERE cm.contact_id = k.id", "r.mark_id")} AS review
FROM contacts k
WHERE EXISTS (SELECT 1 FROM contact_mentions cm JOIN current_versions c ON c.version_id = cm.version_id
              WHERE cm.contact_id = k.id)
""",
    facets=("organisation", "title"),
    sort="name",
)

GOAL_OVERVIEW = View(
    name="goal_overview",
    description="Goals (objectives) of current plans with their actions and indicators, one row per goal.",
    columns={
        "goal_id": "goals.id",
        "document": "The plan's file name",
        "title": "The plan's title",
        "publisher": "Who published the plan",
        "section": "The heading the goal table sits under",
        "period": "The period the goals are for (e.g. 2024-2026)",
        "objective": "The objective (tavoite)",
        "actions": "Actions (toimenpiteet), one per line",
        "indicators": "Indicators (mittarit), one per line",
        "action_count": "How many actions",
        "indicator_count": "How many indicators; 0 means the goal has none",
        "page": "Page of the goal in the document",
        "review": _REVIEW_COLUMN,
    },
    sql=f"""
SELECT g.id AS goal_id, c.document, c.title, c.publisher, g.section, g.period, g.objective,
       (SELECT {{list}}(text, '
'{{in_order}}) FROM (SELECT i.text, i.position AS first FROM goal_items i WHERE i.goal_id = g.id
        AND i.kind = 'action' ORDER BY i.position) AS items) AS actions,
       (SELECT {{list}}(text, '
'{{in_order}}) FROM (SELECT i.text, i.position AS first FROM goal_items i WHERE i.goal_id = g.id
        AND i.kind = 'indicator' ORDER BY i.position) AS items) AS indicators,
       (SELECT count(*) FROM goal_items i WHERE i.goal_id = g.id AND i.kind = 'action') AS action_count,
       (SELECT count(*) FROM goal_items i WHERE i.goal_id = g.id AND i.kind = 'indicator') AS indicator_count,
       g.page,
       {_listed("r.summary", _REJECTED.format(table="goals", row="g.id"), "r.mark_id")} AS review
FROM goals g
JOIN current_versions c ON c.version_id = g.version_id
""",
    facets=("publisher", "period", "section"),
)

FUNDING_OVERVIEW = View(
    name="funding_overview",
    description="Every funding sum in current documents with its project, funder, instrument and evidence.",
    columns={
        "funding_id": "fundings.id",
        "project_id": "projects.id, when the sum is tied to a project",
        "project": "The project's name",
        "funder": "The funding organisation",
        "instrument": "ESR, EAKR, Leader, valtionavustus, ...",
        "amount_eur": "The sum in euros",
        "qualifier": "max / min / approx / exact",
        "is_total": "True when the sum is a stated total of other sums of the document (left out of sums)",
        "document": "The document stating it",
        "page": "Page of the statement",
        "evidence": "The sentence the sum was read from",
        "review": _REVIEW_COLUMN,
    },
    sql=f"""
SELECT f.id AS funding_id, f.project_id, coalesce(p.name, f.project_name) AS project, o.name AS funder,
       f.instrument, f.amount_eur, f.qualifier, f.is_total, c.document, f.page, f.evidence,
       {_listed("r.summary", _REJECTED.format(table="fundings", row="f.id"), "r.mark_id")} AS review
FROM fundings f
JOIN current_versions c ON c.version_id = f.version_id
LEFT JOIN projects p ON p.id = f.project_id
LEFT JOIN organisations o ON o.id = f.funder_id
""",
    facets=("funder", "instrument", "qualifier"),
)

FUNDING_BY_FUNDER = View(
    name="funding_by_funder",
    description=(
        "Funding summed by funder and instrument over current documents; "
        "the same sum for the same project restated by several documents counts once, "
        "and a stated total of other sums is not added to them."
    ),
    columns={
        "funder": "The funding organisation (empty when the text names none)",
        "instrument": "The instrument (empty when the text names none)",
        "projects": "How many distinct projects",
        "fundings": "How many distinct sums",
        "total_eur": "Sum of the distinct amounts",
    },
    sql="""
SELECT funder, instrument, count(DISTINCT project_id) AS projects, count(*) AS fundings,
       sum(amount_eur) AS total_eur
FROM (SELECT DISTINCT CASE WHEN project_id IS NULL THEN -funding_id ELSE project_id END AS sum_key,
             project_id, funder, instrument, amount_eur
      FROM funding_overview WHERE NOT is_total) AS distinct_sums
GROUP BY funder, instrument
""",
    facets=("funder", "instrument"),
    sort="funder",
)

# In dependency order: a view comes after the views it reads.
VIEWS: tuple[View, ...] = (
    CURRENT_VERSIONS,
    REJECTED_VALUES,
    PROJECT_OVERVIEW,
    PROJECT_TIMELINE,
    CONTACT_OVERVIEW,
    GOAL_OVERVIEW,
    FUNDING_OVERVIEW,
    FUNDING_BY_FUNDER,
)


def view_named(name: str) -> View:
    for view in VIEWS:
        if view.name == name:
            return view
    raise KeyError(f"no view {name!r}; the views are {', '.join(v.name for v in VIEWS)}")


def create_views(connection: Connection, views: tuple[View, ...] = VIEWS) -> None:
    """(Re)creates ``views`` on the connection's database."""
    drop_views(connection, views)
    for view in views:
        connection.execute(text(f"CREATE VIEW {view.name} AS {view.statement(connection.dialect.name)}"))


def drop_views(connection: Connection, views: tuple[View, ...] = VIEWS) -> None:
    for view in reversed(views):
        connection.execute(text(f"DROP VIEW IF EXISTS {view.name}"))
