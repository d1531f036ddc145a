"""Internal openings for employees, as one use case with typed outcomes: the open openings that fit a person (people
search run in reverse, profile -> openings, scored by the same formula: core.matching.scoring.fuse), interest with
consent and its withdrawal, "not for me", alert opt-ins, and the alert plan (who is told about which openings today).

Rules that hold here, whoever calls:
- an employee sees open openings only (a closed one disappears from the list and from alerts; interests in it are
  kept for the record), and never another employee's profile;
- interest is recorded only after the person confirmed what the opening's owners will see (the presenter asks);
  the owners are the HR admin who published the opening and the hiring manager when the JD names one;
- every interest, withdrawal and alert setting is audited;
- alerts: at most one alert message per person per day (several openings grouped), each opening at most once per
  person, claimed in the database before the message is sent, so two server instances or a restart never send two.
"""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np

from core import audit
from core.domain import Employee, Role, SearchFilters, level_rank
from core.gaps import PARTIAL, PRESENT, held_skills, match_skill
from core.matching import scoring
from core.matching.lexical import stem
from core.text import content_terms, tokenize_query

DEFAULT_LIMIT = 5
MAX_LIMIT = 20
INTERESTED, WITHDRAWN, DISMISSED = "interested", "withdrawn", "dismissed"
DEFAULT_ALERT_MIN_FIT = 55          # "good" or better (core.matching.scoring.BANDS)


# ---- what an employee may see of an opening ----------------------------------------------------------------------
@dataclass(frozen=True)
class OpeningInfo:
    id: str
    jd_id: str
    title: str
    company_id: str
    company_name: str
    family: str
    level: str
    lang: str
    summary: str
    required: tuple[str, ...]             # taxonomy ids
    preferred: tuple[str, ...]
    published_by: str                     # the HR admin who published it
    hiring_manager: str                   # "" when the JD names none
    opened_at: str
    status: str = "open"
    text: str = ""                        # title, summary, responsibilities and requirements: what is matched

    @property
    def owners(self) -> tuple[str, ...]:
        """Who is told about interest: the publishing HR admin and the hiring manager, once each."""
        return tuple(dict.fromkeys(x for x in (self.published_by, self.hiring_manager) if x))


@dataclass(frozen=True)
class SkillFit:
    skill_id: str
    status: str                           # present / partial (core.gaps)
    evidence: str                         # the employee's own line
    via: str | None = None


@dataclass(frozen=True)
class OpeningFit:
    opening: OpeningInfo
    score: int | None                     # None: unranked (no profile)
    band: str | None
    have: tuple[SkillFit, ...] = ()
    missing: tuple[str, ...] = ()         # required skill ids the profile does not show
    interest: str | None = None           # the employee's own state for it


# ---- outcomes ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OpeningsList:
    items: tuple[OpeningFit, ...]
    offset: int
    limit: int
    total: int                            # open openings after filters (and without the ones marked "not for me")
    ranked: bool                          # False: the person has no profile yet, openings are newest first
    profile: str                          # "ok" / "thin" / "missing"
    alerts_on: bool
    query: str                            # the filters as typed, for the paging buttons
    hidden: int = 0                       # openings the person marked "not for me"
    filtered: bool = False                # filters were given (an empty list means "none match")


@dataclass(frozen=True)
class OpeningsRefusal:
    reason: str                           # private_only / bad_option / opening_gone / opening_closed / not_owner / ...
    detail: str = ""


@dataclass(frozen=True)
class InterestChange:
    opening: OpeningInfo
    state: str                            # the state now
    before: str | None                    # the state before (None: none)
    owners: tuple[str, ...]               # who is told (employee ids)

    @property
    def changed(self) -> bool:
        return self.state != self.before


@dataclass(frozen=True)
class AlertPlan:
    employee_id: str
    fits: tuple[OpeningFit, ...]


@dataclass
class AlertRun:
    """What one alert pass did, for its log line."""
    sent: int = 0
    openings: int = 0
    not_reachable: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped_today: int = 0
    claimed_elsewhere: int = 0


def today() -> str:
    return datetime.now(timezone.utc).date().isoformat()


# ---- the catalogue of open openings --------------------------------------------------------------------------------
class OpeningCatalogue:
    """Open openings as employees see them, with what ranking needs (vector, terms), cached per opening: a published
    JD never changes, so only the list of open ids is read per request."""

    def __init__(self, store, embedder, extractor):
        self.store = store
        self.embedder = embedder
        self.extractor = extractor
        self._info: dict[str, OpeningInfo] = {}
        self._vectors: dict[str, np.ndarray] = {}
        self._terms: dict[str, tuple[str, ...]] = {}
        self._lock = threading.Lock()

    def info(self, opening) -> OpeningInfo | None:
        cached = self._info.get(opening.id)
        if cached is not None and cached.status == _status(opening):
            return cached
        record = self.store.get_jd(opening.jd_id)
        if record is None:
            return None
        draft = record.draft
        company = self.store.get_company(opening.company_id) if opening.company_id else None
        required = tuple(draft.required_skills) or tuple(self.extractor.extract_query(
            "\n".join([draft.title, *draft.requirements])))
        preferred = tuple(s for s in (draft.preferred_skills or self.extractor.extract_query("\n".join(draft.preferred)))
                          if s not in required)
        # The hiring manager named on the JD's edit card (kept with the draft), else one named where it came from.
        basis = draft.basis or {}
        manager = str(basis.get("hiring_manager") or "" if "hiring_manager" in basis
                      else (record.origin or {}).get("hiring_manager") or "")
        if not manager:
            owner = self.store.get_employee(record.owner_id)
            manager = owner.id if owner is not None and owner.role == Role.MANAGER else ""
        text = "\n".join(x for x in [draft.title, draft.summary, *draft.responsibilities, *draft.requirements,
                                     *draft.preferred] if x)
        info = OpeningInfo(opening.id, opening.jd_id, draft.title or opening.title, opening.company_id,
                           company.name if company else opening.company_id, opening.family, opening.level,
                           draft.lang or "en", draft.summary, required, preferred, opening.opened_by, manager,
                           opening.opened_at, _status(opening), text)
        self._info[opening.id] = info
        return info

    def open_openings(self) -> list[OpeningInfo]:
        """Newest first. Only the open ids are read per request; an opening not cached yet (or cached while it was
        closed) is read whole."""
        out = []
        for opening_id in self.store.open_opening_ids():
            cached = self._info.get(opening_id)
            info = cached if cached is not None and cached.status == "open" else self.get(opening_id)
            if info is not None and info.status == "open":
                out.append(info)
        return out

    def get(self, opening_id: str) -> OpeningInfo | None:
        opening = self.store.get_opening(opening_id) if opening_id else None
        return self.info(opening) if opening is not None else None

    def vectors(self, infos: list[OpeningInfo]) -> np.ndarray:
        missing = [i for i in infos if i.id not in self._vectors]
        if missing:
            with self._lock:
                missing = [i for i in missing if i.id not in self._vectors]
                if missing:
                    embedded = self.embedder.embed_documents([i.text for i in missing])
                    for info, vector in zip(missing, embedded):
                        self._vectors[info.id] = np.asarray(vector, dtype=np.float32)
        if not infos:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        return np.vstack([self._vectors[i.id] for i in infos])

    def missing_vectors(self, infos: list[OpeningInfo]) -> int:
        return sum(1 for i in infos if i.id not in self._vectors)

    def terms(self, info: OpeningInfo) -> tuple[str, ...]:
        found = self._terms.get(info.id)
        if found is None:
            found = self._terms[info.id] = tuple(dict.fromkeys(content_terms(tokenize_query(info.text))))
        return found


MAX_SHELVES = 8
MAX_PROFILES_KEPT = 512


@dataclass(frozen=True)
class _Shelf:
    """A list of openings as arrays for ranking: vectors (n x dim), the lexical part as (opening row, word column,
    IDF weight) triples with each opening's total weight, and the required skills as (opening row, skill) pairs over
    the distinct skills."""
    index: object                          # the people index the IDF weights come from
    vectors: np.ndarray
    id_rank: np.ndarray                    # each opening's place in id order (ties in score are broken by id)
    term_row: np.ndarray
    term_id: np.ndarray
    term_weight: np.ndarray
    term_total: np.ndarray
    skills: tuple[str, ...]
    skill_row: np.ndarray
    skill_id: np.ndarray
    skill_count: np.ndarray


def _status(opening) -> str:
    return getattr(opening.status, "value", opening.status)


# ---- the use case --------------------------------------------------------------------------------------------------
class Openings:
    def __init__(self, store, matching, catalogue: OpeningCatalogue | None = None,
                 alert_min_fit: int = DEFAULT_ALERT_MIN_FIT):
        self.store = store
        self.matching = matching            # core.matching.service.MatchingService: the people index and taxonomy
        self.taxonomy = matching.taxonomy
        self.catalogue = catalogue or OpeningCatalogue(store, matching.embedder, matching.extractor)
        self.alert_min_fit = alert_min_fit
        self._idf: dict[str, float] = {}
        self._idf_index = None
        self._vocab: dict[str, int] = {}           # stemmed word -> column of the lexical arrays (only grows)
        self._shelves: dict[tuple, _Shelf] = {}
        self._terms_of: dict[tuple, set[str]] = {}   # (employee id, hash of the profile's text) -> stemmed words
        self._lock = threading.Lock()

    def warm(self) -> int:
        """Embed the open openings not embedded yet, so that no employee's request waits for it (the server's alert
        job calls this at start and on every pass: a new opening is ready within a pass). How many were embedded."""
        infos = self.catalogue.open_openings()
        missing = self.catalogue.missing_vectors(infos)
        if missing:
            self.catalogue.vectors(infos)
        return missing

    # ---- ranking in reverse ---------------------------------------------------------------------------------------
    def rank(self, employee: Employee | None, infos: list[OpeningInfo]) -> list[OpeningFit]:
        """Openings best first for this person: the people ranker's parts, measured from the profile to each opening.
        Without a profile (no skills and no resume): newest first, unscored. Vectorised over the openings: each
        opening's vector, IDF-weighted words and required skills are kept as arrays (_Shelf), so a request is a few
        array operations plus one skill match per distinct skill."""
        if not infos:
            return []
        if employee is None or not has_profile(employee):
            ordered = sorted(infos, key=lambda i: (i.opened_at, i.id), reverse=True)
            return [OpeningFit(i, None, None) for i in ordered]
        index = self.matching.index()
        shelf = self._shelf(infos, index)
        n = len(infos)
        row = index.row_of.get(employee.id)
        held = held_skills(employee)
        # semantic: the profile's stored embedding against each opening's
        if row is not None and index.has_vector[row]:
            cosine = (shelf.vectors @ index.vectors[row]).astype(np.float32)
        else:
            cosine = np.zeros(n, dtype=np.float32)
        completeness = float(index.completeness[row]) if row is not None else 0.0
        thin = bool(index.thin[row]) if row is not None else True
        # lexical: the opening's IDF-weighted words found in the profile, over all its words' weight
        present = np.zeros(len(self._vocab) + 1, dtype=np.float32)
        present[[i for t in self._profile_terms(employee) if (i := self._vocab.get(t)) is not None]] = 1.0
        found = np.bincount(shelf.term_row, weights=shelf.term_weight * present[shelf.term_id], minlength=n)
        lexical = np.divide(found, shelf.term_total, out=np.zeros(n), where=shelf.term_total > 0).astype(np.float32)
        # skills: each distinct required skill matched once against the profile, then averaged per opening
        matches = {skill_id: match_skill(skill_id, held, self.taxonomy) for skill_id in shelf.skills}
        credit = np.array([matches[s].credit for s in shelf.skills], dtype=np.float64)
        earned = np.bincount(shelf.skill_row, weights=credit[shelf.skill_id], minlength=n)
        skills = np.divide(earned, shelf.skill_count, out=np.zeros(n), where=shelf.skill_count > 0).astype(np.float32)
        # One formula for every opening: an opening that names no canonical skill is scored on meaning and words.
        with_skills = shelf.skill_count > 0
        final = np.where(with_skills, self._fuse(cosine, lexical, skills, completeness, thin, True),
                         self._fuse(cosine, lexical, skills, completeness, thin, False))
        scores = np.rint(final).astype(np.int64)          # round half to even, as round() does
        shown = {s: SkillFit(s, m.status, m.evidence.evidence, m.via) for s, m in matches.items()
                 if m.status in (PRESENT, PARTIAL)}
        bands: dict[int, str] = {}
        fits = []
        for n_ in np.lexsort((shelf.id_rank, -scores)).tolist():      # best first, then by id
            info, score = infos[n_], int(scores[n_])
            band = bands.get(score) or bands.setdefault(score, scoring.band(score))
            if shown:
                have = tuple(shown[s] for s in info.required if s in shown)
                missing = tuple(s for s in info.required if s not in shown) if have else info.required
            else:
                have, missing = (), info.required
            fits.append(OpeningFit(info, score, band, have, missing))
        return fits

    def _shelf(self, infos: list[OpeningInfo], index) -> "_Shelf":
        """The openings' ranking arrays, in the order given, for this people index (kept for the last few lists:
        the whole open list and its filtered variants repeat from request to request)."""
        key = (tuple(i.id for i in infos), id(index))
        shelf = self._shelves.get(key)
        if shelf is not None and shelf.index is index:
            return shelf
        vectors = self.catalogue.vectors(infos)
        term_rows, term_ids, term_weights, totals = [], [], [], []
        skill_ids: dict[str, int] = {}
        skill_rows, skill_idx, skill_count = [], [], []
        for n, info in enumerate(infos):
            weighted, total = self._weighted_terms(index, info)
            for term, weight in weighted:
                term_rows.append(n)
                term_ids.append(self._vocab.setdefault(term, len(self._vocab)))
                term_weights.append(weight)
            totals.append(total)
            for skill_id in info.required:
                skill_rows.append(n)
                skill_idx.append(skill_ids.setdefault(skill_id, len(skill_ids)))
            skill_count.append(len(info.required))
        ids = [i.id for i in infos]
        id_rank = np.empty(len(ids), dtype=np.intp)
        id_rank[sorted(range(len(ids)), key=ids.__getitem__)] = np.arange(len(ids))
        shelf = _Shelf(index, vectors, id_rank, np.array(term_rows, dtype=np.intp), np.array(term_ids, dtype=np.intp),
                       np.array(term_weights, dtype=np.float64), np.array(totals, dtype=np.float64),
                       tuple(skill_ids), np.array(skill_rows, dtype=np.intp), np.array(skill_idx, dtype=np.intp),
                       np.array(skill_count, dtype=np.float64))
        with self._lock:
            if len(self._shelves) >= MAX_SHELVES:
                self._shelves.pop(next(iter(self._shelves)))
            self._shelves[key] = shelf
        return shelf

    @staticmethod
    def _fuse(cosine, lexical, skills, completeness: float, thin: bool, has_skills: bool) -> np.ndarray:
        """The people ranker's own fusion (scoring.fuse) over the openings as rows: the lexical part is the opening's
        IDF-weighted words found in the profile (relative to the best opening, as BM25 is relative to the best
        profile); no seniority asked."""
        from core.matching.index import Signals

        n = len(cosine)
        sig = Signals(cosine=cosine, bm25=lexical, skills=skills, seniority=np.ones(n, dtype=np.float32),
                      has_skills=has_skills, coverage=1.0, eligible=np.ones(n, dtype=bool), total_eligible=n)
        return scoring.fuse(sig, np.float32(completeness), np.bool_(thin)).final

    def _weighted_terms(self, index, info: OpeningInfo) -> tuple[tuple[tuple[str, float], ...], float]:
        """The opening's words with their IDF in the people index (the lexical part's weights), and their sum; kept
        until the people index is rebuilt."""
        if self._idf_index is not index:            # a rebuilt people index: document frequencies changed
            self._idf, self._idf_index = {}, index
        found = self._idf.get(info.id)
        if found is None:
            weighted = tuple((stem(t), _idf(index, t)) for t in self.catalogue.terms(info))
            found = self._idf[info.id] = (weighted, sum(w for _, w in weighted))
        return found

    def _profile_terms(self, employee: Employee) -> set[str]:
        """The profile's stemmed words; kept for the last few hundred profiles, keyed by their text."""
        lines = [employee.title, employee.resume_text, employee.details.summary,
                 *(s.evidence for s in employee.skills)]
        text = "\n".join(x for x in lines if x)
        key = (employee.id, hash(text))
        found = self._terms_of.get(key)
        if found is None:
            found = {stem(t) for t in content_terms(tokenize_query(text))}
            with self._lock:
                if len(self._terms_of) >= MAX_PROFILES_KEPT:
                    self._terms_of.pop(next(iter(self._terms_of)))
                self._terms_of[key] = found
        return found

    # ---- the list -------------------------------------------------------------------------------------------------
    def list_for(self, actor: Employee, filters: SearchFilters = SearchFilters(), limit: int = DEFAULT_LIMIT,
                 offset: int = 0, query: str = "", private: bool = True) -> OpeningsList | OpeningsRefusal:
        if not private:
            return OpeningsRefusal("private_only")
        me = self.store.get_employee(actor.id) or actor
        limit = max(1, min(int(limit or DEFAULT_LIMIT), MAX_LIMIT))
        offset = max(0, int(offset or 0))
        interests = self.store.interests_of(me.id)
        infos = [i for i in self.catalogue.open_openings() if self._passes(i, filters)]
        dismissed = {oid for oid, (state, _) in interests.items() if state == DISMISSED}
        visible = [i for i in infos if i.id not in dismissed]
        fits = self.rank(me, visible)
        page = [_with_interest(f, interests) for f in fits[offset:offset + limit]]
        profile = "missing" if not has_profile(me) else ("thin" if not me.skills else "ok")
        audit.record(self.store, me, "openings", query, shown=[f.opening.id for f in page], offset=offset,
                     ranked=profile != "missing")
        return OpeningsList(tuple(page), offset, limit, len(visible), profile != "missing", profile,
                            self.store.alerts_enabled(me.id), query, len(infos) - len(visible),
                            filters != SearchFilters())

    def _passes(self, info: OpeningInfo, filters: SearchFilters) -> bool:
        rank = level_rank(info.level)
        if filters.min_level and (rank is None or rank < filters.min_level):
            return False
        if filters.max_level and (rank is None or rank > filters.max_level):
            return False
        names = {info.company_name.strip().lower(), info.company_id.strip().lower(), info.family.lower()}
        names |= _family_names(info.family)
        if filters.departments and not any(_matches(d, names) for d in filters.departments):
            return False
        if filters.exclude_departments and any(_matches(d, names) for d in filters.exclude_departments):
            return False
        return True

    def fit_of(self, actor: Employee, opening_id: str) -> OpeningFit | None:
        """One open opening against the person's profile (for the alert and interest cards)."""
        info = self.catalogue.get(opening_id)
        if info is None or info.status != "open":
            return None
        me = self.store.get_employee(actor.id) or actor
        return self.rank(me, [info])[0]

    # ---- interest, "not for me" ----------------------------------------------------------------------------------
    def opening_for_interest(self, opening_id: str) -> OpeningInfo | OpeningsRefusal:
        info = self.catalogue.get(opening_id)
        if info is None:
            return OpeningsRefusal("opening_gone")
        if info.status != "open":
            return OpeningsRefusal("opening_closed", info.title)
        return info

    def express_interest(self, actor: Employee, opening_id: str) -> InterestChange | OpeningsRefusal:
        """After the person confirmed what the owners will see: recorded, audited; the owners are to be told."""
        info = self.opening_for_interest(opening_id)
        if isinstance(info, OpeningsRefusal):
            return info
        before = self.store.set_interest(info.id, actor.id, INTERESTED)
        owners = tuple(o for o in info.owners if o != actor.id)
        if before != INTERESTED:
            audit.record(self.store, actor, "opening_interest", info.id, owners, opening=info.id,
                         owners=list(owners), before=before)
        return InterestChange(info, INTERESTED, before, owners)

    def withdraw_interest(self, actor: Employee, opening_id: str) -> InterestChange | OpeningsRefusal:
        info = self.catalogue.get(opening_id)
        if info is None:
            return OpeningsRefusal("opening_gone")
        current = self.store.interest(info.id, actor.id)
        if current != INTERESTED:
            return InterestChange(info, current or WITHDRAWN, current, ())
        self.store.set_interest(info.id, actor.id, WITHDRAWN)
        owners = tuple(o for o in info.owners if o != actor.id)
        audit.record(self.store, actor, "opening_interest_withdrawn", info.id, owners, opening=info.id,
                     owners=list(owners))
        return InterestChange(info, WITHDRAWN, current, owners)

    def dismiss(self, actor: Employee, opening_id: str) -> InterestChange | OpeningsRefusal:
        """"Not for me": hidden from the person's list and alerts. An active interest is withdrawn first (and its
        owners told), so "not for me" can never leave someone listed as interested."""
        info = self.catalogue.get(opening_id)
        if info is None:
            return OpeningsRefusal("opening_gone")
        before = self.store.set_interest(info.id, actor.id, DISMISSED)
        owners = tuple(o for o in info.owners if o != actor.id) if before == INTERESTED else ()
        audit.record(self.store, actor, "opening_dismissed", info.id, owners, opening=info.id, before=before)
        return InterestChange(info, DISMISSED, before, owners)

    def may_shortlist_from_interest(self, owner: Employee, opening_id: str, employee_id: str) -> OpeningInfo | OpeningsRefusal:
        """The owner's "add to shortlist" on an interest message: only an owner of the opening (or HR), and only
        while the person is still interested (consent can be withdrawn)."""
        info = self.catalogue.get(opening_id)
        if info is None:
            return OpeningsRefusal("opening_gone")
        if owner.id not in info.owners and owner.role != Role.HR_ADMIN:
            return OpeningsRefusal("not_owner")
        if self.store.interest(info.id, employee_id) != INTERESTED:
            return OpeningsRefusal("interest_withdrawn")
        return info

    def interested_in_mine(self, owner: Employee) -> dict[str, OpeningInfo]:
        """employee id -> the opening of this owner's (publishing HR admin or hiring manager) they are interested in
        now: people the owner may see on a shortlist in that opening's context even if they are not open to moves
        to everyone. Withdrawn consent ends it."""
        out: dict[str, OpeningInfo] = {}
        for opening in self.store.list_openings():
            info = self.catalogue.info(opening)
            if info is None or owner.id not in info.owners:
                continue
            for employee_id, _, _ in self.store.interests_in(info.id):
                out.setdefault(employee_id, info)
        return out

    def interests_of(self, actor: Employee) -> list[tuple[OpeningInfo, str]]:
        """The person's own interests (also in closed openings: kept for the record), newest first."""
        out = []
        for opening_id, (state, _) in self.store.interests_of(actor.id).items():
            if state not in (INTERESTED, WITHDRAWN):
                continue
            info = self.catalogue.get(opening_id)
            if info is not None:
                out.append((info, state))
        return out

    # ---- alerts -----------------------------------------------------------------------------------------------------
    def set_alerts(self, actor: Employee, enabled: bool) -> bool:
        was = self.store.alerts_enabled(actor.id)
        if was != enabled:
            self.store.set_alerts(actor.id, enabled)
            audit.record(self.store, actor, "opening_alerts_on" if enabled else "opening_alerts_off", enabled=enabled)
        return was

    def alert_plans(self, day: str | None = None) -> list[AlertPlan]:
        """Who would be told today about which open openings: opted in, not yet messaged today, fit at or above the
        threshold, not alerted about that opening before, not interested or "not for me" already. A plan is only a
        proposal: `claim_alert` makes it happen at most once."""
        day = day or today()
        infos = self.catalogue.open_openings()
        if not infos:
            return []
        done_today = self.store.alerted_on(day)
        plans = []
        for employee_id in self.store.alert_subscribers():
            if employee_id in done_today:
                continue
            employee = self.store.get_employee(employee_id)
            if employee is None or not has_profile(employee):
                continue
            seen = self.store.alerted_openings(employee_id) | set(self.store.interests_of(employee_id))
            fresh = [i for i in infos if i.id not in seen]
            fits = [f for f in self.rank(employee, fresh) if f.score is not None and f.score >= self.alert_min_fit]
            if fits:
                plans.append(AlertPlan(employee_id, tuple(fits)))
        return plans

    def claim_alert(self, plan: AlertPlan, day: str | None = None) -> bool:
        """True for exactly one caller per person and day: the one that sends this plan's message. Openings that
        closed since the plan was made are left out."""
        still_open = [f.opening.id for f in plan.fits if (o := self.store.get_opening(f.opening.id)) is not None
                      and _status(o) == "open"]
        if not still_open:
            return False
        claimed = self.store.claim_alert(plan.employee_id, day or today(), still_open)
        if claimed:
            audit.system(self.store, "opening_alert", [plan.employee_id], openings=still_open,
                         employee=plan.employee_id)
        return claimed


def _idf(index, term: str) -> float:
    """The term's IDF in the people index's lexical (BM25) index; a word no profile has counts as the rarest."""
    lex = getattr(index, "lexical", None)
    idf = getattr(lex, "idf", None)
    if lex is None or idf is None or not len(idf):
        return math.log(2)
    ids = [i for i in lex._ids(term) if i < len(idf)]
    return max((float(idf[i]) for i in ids), default=float(idf.max()))


def has_profile(employee: Employee) -> bool:
    return bool(employee.skills or (employee.resume_text or "").strip())


def _with_interest(fit: OpeningFit, interests: dict) -> OpeningFit:
    state = interests.get(fit.opening.id, (None, ""))[0]
    return OpeningFit(fit.opening, fit.score, fit.band, fit.have, fit.missing, state)


def _matches(wanted: str, names: set[str]) -> bool:
    wanted = wanted.strip().lower()
    return bool(wanted) and any(wanted == n or (len(wanted) >= 3 and wanted in n) for n in names if n)


def _family_names(code: str) -> set[str]:
    from core.jd.model import JOB_FAMILIES

    family = JOB_FAMILIES.get(code)
    if family is None:
        return set()
    return {family.en.lower(), family.ko.lower(), family.title_en.lower(), family.title_ko.lower(), family.group}
