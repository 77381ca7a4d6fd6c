"""法人番号 (corporate number) ownership: the first organisation to register a
number does not own it for good. A second one claims it; programme staff
accept (the number moves, both owners are told) or reject (nothing changes)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.claim_services import (
    accept_corporate_number_claim,
    open_corporate_number_claim,
    reject_corporate_number_claim,
)
from accounts.models import (
    CorporateNumberClaim,
    CorporateNumberClaimEvent,
    Organisation,
    OrganisationEvent,
)
from accounts.notifications import deliver_claim_outcome
from accounts.services import update_organisation
from core.errors import DomainError
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

from .helpers import FULL_WIDTH, organisation_data, snapshot, valid_number

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def squatter(db):
    """The organisation that registered the number first."""
    owner = UserFactory(full_name="先取 一郎", email="squatter@example.jp")
    return OrganisationFactory(member=owner, name="先に登録した団体")


@pytest.fixture
def number(squatter):
    return squatter.corporate_number


@pytest.fixture
def claimant(organisation):
    """`organisation` (owner: `applicant`) without a number of its own."""
    organisation.corporate_number = ""
    organisation.save()
    return organisation


@pytest.fixture
def claim(claimant, number, applicant):
    return open_corporate_number_claim(organisation=claimant, corporate_number=number,
                                       by=applicant, evidence_text="国税庁公表サイトの登録名が当法人")


def _numbers():
    return dict(Organisation.objects.values_list("pk", "corporate_number"))


# --- Service ----------------------------------------------------------------------


def test_opening_a_claim_records_who_and_changes_no_number(claim, claimant, squatter, applicant,
                                                          number):
    assert (claim.status, claim.holder, claim.claimed_by) == ("open", squatter, applicant)
    event = claim.events.get()
    assert (event.actor, event.from_status, event.to_status) == (applicant, "", "open")
    assert OrganisationEvent.objects.filter(organisation=claimant,
                                            action="corporate_number_claimed").exists()
    squatter.refresh_from_db()
    claimant.refresh_from_db()
    assert (squatter.corporate_number, claimant.corporate_number) == (number, "")


@pytest.mark.parametrize(("which", "code"), [
    ("own", "corporate_number_own"),
    ("free", "corporate_number_free"),
    ("invalid", "corporate_number_invalid"),
])
def test_claims_that_make_no_sense_are_refused(claimant, applicant, number, which, code):
    value = {"own": number, "free": valid_number("999999999999"),
             # NOTE: another check digit is always wrong; another last digit was not
             # (9 → 0 keeps the weighted sum mod 9, so a number ending in 9 stayed valid).
             "invalid": str(int(number[0]) % 9 + 1) + number[1:]}[which]
    if which == "own":
        Organisation.objects.filter(corporate_number=number).update(corporate_number="")
        claimant.corporate_number = number
        claimant.save()
    before = snapshot()

    with pytest.raises(DomainError) as error:
        open_corporate_number_claim(organisation=claimant, corporate_number=value, by=applicant)

    assert (error.value.code, error.value.field) == (code, "corporate_number")
    assert snapshot() == before and not CorporateNumberClaim.objects.exists()


def test_a_second_open_claim_to_the_same_number_is_refused(claim, claimant, applicant, number):
    with pytest.raises(DomainError) as error:
        open_corporate_number_claim(organisation=claimant, by=applicant,
                                    corporate_number=number.translate(FULL_WIDTH))
    assert error.value.code == "claim_already_open"
    assert CorporateNumberClaim.objects.count() == 1


def test_accept_moves_the_number_and_tells_both_owners(
    claim, claimant, squatter, officer, number, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        accept_corporate_number_claim(claim=claim, by=officer, note="登記事項証明書で確認")

    claimant.refresh_from_db()
    squatter.refresh_from_db()
    assert (claimant.corporate_number, squatter.corporate_number) == (number, "")
    claim.refresh_from_db()
    assert (claim.status, claim.resolved_by, claim.resolution_note) == (
        "accepted", officer, "登記事項証明書で確認")
    event = claim.events.get(action="status")
    assert (event.actor, event.from_status, event.to_status, event.reason) == (
        officer, "open", "accepted", "登記事項証明書で確認")
    moved = OrganisationEvent.objects.filter(action="corporate_number_moved", actor=officer)
    assert {e.organisation_id: e.changes["corporate_number"] for e in moved} == {
        claimant.pk: ["", number], squatter.pk: [number, ""]}
    assert sorted(m.to[0] for m in mailoutbox) == [
        "squatter@example.jp", claimant.memberships.get().user.email]
    assert all(number in m.subject for m in mailoutbox)
    assert all("登記事項証明書で確認" in m.body for m in mailoutbox)


def test_the_outcome_is_mailed_once(claim, officer, django_capture_on_commit_callbacks,
                                    mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        accept_corporate_number_claim(claim=claim, by=officer, note="確認済み")

    assert len(mailoutbox) == 2
    assert deliver_claim_outcome(claim_id=claim.pk) == 0
    assert len(mailoutbox) == 2


def test_no_mail_before_commit(claim, officer, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        accept_corporate_number_claim(claim=claim, by=officer, note="確認済み")
    assert mailoutbox == [] and len(callbacks) == 1


def test_reject_changes_no_number_and_tells_the_claimant(
    claim, claimant, squatter, officer, number, django_capture_on_commit_callbacks, mailoutbox
):
    numbers = _numbers()
    with django_capture_on_commit_callbacks(execute=True):
        reject_corporate_number_claim(claim=claim, by=officer, note="証拠が不十分")

    assert _numbers() == numbers
    claim.refresh_from_db()
    assert claim.status == "rejected"
    assert not OrganisationEvent.objects.filter(action="corporate_number_moved").exists()
    assert [m.to for m in mailoutbox] == [[claimant.memberships.get().user.email]]


@pytest.mark.parametrize("service", [accept_corporate_number_claim, reject_corporate_number_claim])
def test_a_resolved_claim_cannot_be_resolved_again(claim, officer, service):
    reject_corporate_number_claim(claim=claim, by=officer, note="不十分")
    numbers, events = _numbers(), CorporateNumberClaimEvent.objects.count()

    with pytest.raises(DomainError) as error:
        service(claim=claim, by=officer, note="やはり")

    assert error.value.code == "bad_transition"
    assert (_numbers(), CorporateNumberClaimEvent.objects.count()) == (numbers, events)


def test_resolving_needs_a_note(claim, officer):
    with pytest.raises(DomainError) as error:
        accept_corporate_number_claim(claim=claim, by=officer, note="  ")
    assert error.value.field == "note"
    claim.refresh_from_db()
    assert claim.status == "open"


def test_editing_with_a_taken_number_can_open_a_claim(claimant, applicant, number):
    update_organisation(organisation=claimant, by=applicant, corporate_number=number,
                        name="新しい名前", claim_corporate_number=True, claim_evidence="定款あり")

    claimant.refresh_from_db()
    assert (claimant.name, claimant.corporate_number) == ("新しい名前", "")
    claim = CorporateNumberClaim.objects.get()
    assert (claim.claimant, claim.corporate_number, claim.evidence_text) == (
        claimant, number, "定款あり")


def test_editing_with_a_taken_number_without_claiming_is_refused(claimant, applicant, number):
    with pytest.raises(DomainError) as error:
        update_organisation(organisation=claimant, by=applicant, corporate_number=number)
    assert error.value.code == "corporate_number_taken"
    assert not CorporateNumberClaim.objects.exists()


# --- HTTP ---------------------------------------------------------------------------


def test_registration_with_a_taken_number_offers_the_claim(client, db, number):
    user = UserFactory()
    client.force_login(user)
    url = reverse("accounts:organisation_create")

    refused = client.post(url, organisation_data(corporate_number=number))
    assert refused.status_code == 200
    assert 'name="claim_corporate_number"' in refused.content.decode()
    assert Organisation.objects.count() == 1

    response = client.post(url, organisation_data(
        corporate_number=number, claim_corporate_number="on", claim_evidence="登記簿あり"))

    assert response.status_code == 302
    created = Organisation.objects.get(memberships__user=user)
    assert created.corporate_number == ""
    claim = CorporateNumberClaim.objects.get()
    assert (claim.claimant, claim.status, claim.claimed_by) == (created, "open", user)
    assert client.get(reverse("accounts:claim_detail", args=[claim.pk])).status_code == 200


def test_owner_claims_with_an_evidence_file_and_sees_the_status(client, claimant, applicant,
                                                               number):
    client.force_login(applicant)
    response = client.post(reverse("accounts:claim_create", args=[claimant.pk]), {
        "corporate_number": number, "evidence_text": "登記事項証明書を添付",
        "evidence_file": SimpleUploadedFile("登記.pdf", PDF, content_type="application/pdf"),
    })

    claim = CorporateNumberClaim.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("accounts:claim_detail", args=[claim.pk])
    assert claim.evidence_content_type == "application/pdf"
    page = client.get(response.url).content.decode()
    assert number in page and "確認中" in page
    # SECURITY: the claimant does not see who holds the number.
    assert "先に登録した団体" not in page
    download = client.get(reverse("accounts:claim_evidence", args=[claim.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_an_evidence_file_that_is_not_a_pdf_or_image_is_refused(client, claimant, applicant,
                                                                number):
    client.force_login(applicant)
    response = client.post(reverse("accounts:claim_create", args=[claimant.pk]), {
        "corporate_number": number,
        "evidence_file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf"),
    })
    assert response.status_code == 200
    assert not CorporateNumberClaim.objects.exists()


def test_staff_accept_through_the_resolve_page(client, claim, claimant, officer, number,
                                               django_capture_on_commit_callbacks, mailoutbox):
    client.force_login(officer)
    url = reverse("accounts:claim_resolve", args=[claim.pk])
    page = client.get(url).content.decode()
    assert "先に登録した団体" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "accept", "note": "公表サイトで確認"})

    assert response.status_code == 302
    claimant.refresh_from_db()
    assert claimant.corporate_number == number
    assert len(mailoutbox) == 2


def test_resolve_page_without_a_note_changes_nothing(client, claim, officer):
    client.force_login(officer)
    numbers = _numbers()

    response = client.post(reverse("accounts:claim_resolve", args=[claim.pk]),
                           {"decision": "accept", "note": ""})

    assert response.status_code == 400
    claim.refresh_from_db()
    assert claim.status == "open" and _numbers() == numbers


# --- Permissions ---------------------------------------------------------------------

PERSONAS = ["applicant", "member", "outsider", "reviewer", "officer", "oversight"]
PAGES = {
    # the claimant's owner, a member of the claimant, another applicant, a
    # reviewer, programme staff, oversight
    "detail": {"applicant": 200, "member": 200, "outsider": 404, "reviewer": 404,
               "officer": 200, "oversight": 200},
    "resolve": {"applicant": 403, "member": 403, "outsider": 404, "reviewer": 404,
                "officer": 200, "oversight": 403},
    "list": {"applicant": 404, "member": 404, "outsider": 404, "reviewer": 404,
             "officer": 200, "oversight": 200},
    "create": {"applicant": 200, "member": 403, "outsider": 404, "reviewer": 404,
               "officer": 403, "oversight": 403},
}


def _url(page, claim):
    if page == "list":
        return reverse("accounts:claim_list")
    if page == "create":
        return reverse("accounts:claim_create", args=[claim.claimant_id])
    return reverse(f"accounts:claim_{page}", args=[claim.pk])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", list(PAGES))
def test_pages_by_persona(client, request, claim, member, page, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url(page, claim)).status_code == PAGES[page][persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_staff_resolve(client, request, claim, member, persona):
    client.force_login(request.getfixturevalue(persona))
    numbers, events = _numbers(), CorporateNumberClaimEvent.objects.count()

    response = client.post(reverse("accounts:claim_resolve", args=[claim.pk]),
                           {"decision": "accept", "note": "乗っ取り"})

    expected = PAGES["resolve"][persona]
    assert response.status_code == (302 if expected == 200 else expected)
    if expected != 200:
        claim.refresh_from_db()
        assert claim.status == "open"
        assert (_numbers(), CorporateNumberClaimEvent.objects.count()) == (numbers, events)


@pytest.mark.parametrize("persona", ["member", "outsider", "reviewer", "officer", "oversight"])
def test_only_owners_claim(client, request, claimant, member, number, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("accounts:claim_create", args=[claimant.pk]),
                           {"corporate_number": number})
    assert response.status_code == PAGES["create"][persona]
    assert not CorporateNumberClaim.objects.exists()


def test_evidence_download_is_scoped(client, claim, outsider):
    claim.evidence_file = SimpleUploadedFile("e.pdf", PDF)
    claim.save()
    client.force_login(outsider)
    assert client.get(reverse("accounts:claim_evidence", args=[claim.pk])).status_code == 404


# --- Query count ---------------------------------------------------------------------


def _claims(n):
    for _ in range(n):
        holder = OrganisationFactory(member=UserFactory())
        owner = UserFactory()
        claimant = OrganisationFactory(member=owner, corporate_number="")
        MembershipFactory(organisation=claimant)
        open_corporate_number_claim(organisation=claimant, by=owner,
                                    corporate_number=holder.corporate_number)


def _list_queries(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("accounts:claim_list"))
    assert response.status_code == 200
    return len(captured), len(response.context["page"].object_list)


def test_staff_list_query_count_does_not_grow(client, officer):
    client.force_login(officer)
    _claims(2)
    few, rows = _list_queries(client)
    assert rows == 2
    _claims(8)
    many, rows = _list_queries(client)
    assert rows == 10
    assert few == many
