"""A legal rule told in words for the people who read the pages: what it times and the
article that sets it ("Time to resolve a first complaint, Article 28 of Luật Khiếu nại
2011"), never its internal code ("KN-2"), which only the rules table and the logs need."""

import re
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from danvan.deadlines.rules import RuleNotInForce, UnknownRule

from .store import current_rulebook

TITLES: dict[str, Promise] = {
    "DON-1": _("Time to process a letter received"),
    "DON-2": _("Guidance given once for the same content"),
    "DON-3": _("Forwarding once for the same content"),
    "DON-4": _("Keeping an archived letter"),
    "KN-0": _("Time limit to file a first complaint"),
    "KN-1": _("Time to accept a first complaint"),
    "KN-2": _("Time to resolve a first complaint"),
    "KN-4": _("Time limit to file a second complaint"),
    "KN-5": _("Time to accept a second complaint"),
    "KN-6": _("Time to resolve a second complaint"),
    "KN-8": _("When a complaint decision becomes binding"),
    "KN-9": _("Time limit for a complaint about a disciplinary decision"),
    "KN-10": _("Withdrawing or suspending a complaint"),
    "TC-1": _("Time to process a denunciation received"),
    "TC-2": _("Time to forward a denunciation and tell the denouncer"),
    "TC-3": _("Time to report on a denunciation referred"),
    "TC-4": _("Time to notify the acceptance of a denunciation"),
    "TC-5": _("Time to resolve a denunciation"),
    "TC-6": _("Anonymous denunciations"),
    "KNPA-1": _("Time to answer a voters' petition"),
    "KNPA-2": _("Time to answer feedback or a petition"),
    "PDP-1": _("Time to answer a personal data request"),
}
# Phrases of the rules table's basis column that are not a law's name.
PHRASES: dict[str, Promise] = {
    "deadline set by the province": _("deadline set by the province"),
}
ARTICLE = re.compile(r"\s*\bArt\.\s*(\d+)(?:\((\d+)\))?")
# A numbered legal act as the rules table abbreviates it ("NĐ 31/2019/NĐ-CP") and a law
# by its name and year ("Luật Tố cáo 2018"); anything else in the column is a note.
NUMBERED_ACT = re.compile(r"^(QĐ|NĐ|TT|Luật)\s+(\d+/\d{4}/[\w-]+)$")
NAMED_LAW = re.compile(r"^(Luật [^\d]+?)\s+(\d{4})$")
ACT_TYPES: dict[str, Promise] = {
    "QĐ": _("Decision No. %(number)s"),
    "NĐ": _("Decree No. %(number)s"),
    "TT": _("Circular No. %(number)s"),
    "Luật": _("Law No. %(number)s"),
}
NOTE = re.compile(r"\s*\([^)]*\)")


def rule_title(code: str) -> str:
    title = TITLES.get(code)
    return str(title) if title is not None else gettext("Deadline rule")


def basis_in_words(basis: str) -> str:
    """'Luật Khiếu nại 2011 Art. 28' -> 'Article 28, Luật Khiếu nại 2011' (translated)."""
    return "; ".join(_part_in_words(part.strip()) for part in basis.split(";") if part.strip())


def _part_in_words(part: str) -> str:
    if part in PHRASES:
        return str(PHRASES[part])
    found = ARTICLE.search(part)
    if found is None:
        return part
    law = (part[: found.start()] + part[found.end() :]).strip()
    article, clause = found.groups()
    if clause:
        where = gettext("Clause %(clause)s, Article %(article)s") % {
            "clause": clause,
            "article": article,
        }
    else:
        where = gettext("Article %(article)s") % {"article": article}
    return gettext("%(where)s of %(law)s") % {"where": where, "law": law}


def rule_in_words(code: str, *, on: date) -> str:
    """The rule's title and its basis in words, as in force on `on`."""
    try:
        basis = current_rulebook().rule(code, on=on).legal_basis
    except (UnknownRule, RuleNotInForce):
        return rule_title(code)
    return gettext("%(title)s (%(basis)s)") % {
        "title": rule_title(code),
        "basis": basis_in_words(basis),
    }


def basis_in_document(basis: str) -> str:
    """The basis as a state document cites it after "Căn cứ": the legal acts only, named in
    full ("khoản 2 Điều 43 Quyết định số 31/2021/QĐ-TTg"); the table's notes and phrases
    ("deadline set by the province") are for officers and stay out of the letter."""
    acts = (_act_in_words(part.strip()) for part in basis.split(";"))
    return "; ".join(act for act in acts if act)


def _act_in_words(part: str) -> str:
    found = ARTICLE.search(part)
    law = _act_name(part if found is None else part[: found.start()] + part[found.end() :])
    if not law or found is None:
        return law
    article, clause = found.groups()
    if clause:
        # In a sentence of a document the clause is written in lower case (NĐ 30/2020).
        where = pgettext("document", "clause %(clause)s, Article %(article)s") % {
            "clause": clause,
            "article": article,
        }
    else:
        where = gettext("Article %(article)s") % {"article": article}
    return gettext("%(where)s of %(law)s") % {"where": where, "law": law}


def _act_name(text: str) -> str:
    text = NOTE.sub("", text).strip()
    numbered = NUMBERED_ACT.match(text)
    if numbered:
        return str(ACT_TYPES[numbered.group(1)]) % {"number": numbered.group(2)}
    named = NAMED_LAW.match(text)
    if named:
        return gettext("%(law)s of %(year)s") % {"law": named.group(1), "year": named.group(2)}
    return ""
