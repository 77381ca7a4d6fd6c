"""Award and report pages read typed yen like the application budget
(issue 13.4): 万/億, full-width digits and separators through
core.forms.YenField; a bad amount is refused naming the field in ja and en."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from awards import forms
from awards.services import mark_year_reported
from grants.models import ExpenseCategory
from reporting import forms as report_forms
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(award):
    return award.years.get(fiscal_year=2026)


def _forms_and_fields():
    categories = list(ExpenseCategory.objects.filter(code__in=["personnel", "travel"]))
    return [
        (forms.SchedulePaymentForm(), "amount_yen"),
        (forms.RecordPaymentForm(), "amount_yen"),
        (forms.SettleForm(), "confirmed_yen"),
        (forms.ChangeRequestForm(), "amount_yen"),
        (forms.YearBudgetForm(categories=categories), "amount_personnel"),
    ]


@pytest.mark.parametrize(("typed", "expected"), [("１００万", 1_000_000), ("1億", 100_000_000),
                                                 ("２，５００円", 2_500)])
def test_every_award_form_reads_units_and_full_width(typed, expected):
    for form, name in _forms_and_fields():
        assert form.fields[name].clean(typed) == expected, type(form).__name__


def test_report_expense_actuals_read_units(award, applicant):
    report = ReportFactory(award=award, kind="annual", by=applicant)
    form = report_forms.ReportForm(report=report)
    name = next(n for n in form.fields if n.endswith("_actual_yen"))
    assert form.fields[name].clean("１００万") == 1_000_000
    assert form.fields[name].clean("1億") == 100_000_000


def _post(client, url, data, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.post(url, data, follow=True)


def test_staff_schedule_and_record_payments_in_man(client, officer, year):
    client.force_login(officer)
    client.post(reverse("awards:payment_schedule", args=[year.pk]), {
        f"y{year.pk}s-kind": "advance", f"y{year.pk}s-due_on": "2026-05-01",
        f"y{year.pk}s-amount_yen": "１００万",
    })
    client.post(reverse("awards:payment_record", args=[year.pk]), {
        f"y{year.pk}r-kind": "advance", f"y{year.pk}r-paid_on": "2026-05-01",
        f"y{year.pk}r-amount_yen": "60万円",
    })
    assert list(year.scheduled_payments.values_list("amount_yen", flat=True)) == [1_000_000]
    assert list(year.payments.values_list("amount_yen", flat=True)) == [600_000]


def test_staff_set_next_year_budget_and_settle_in_man(client, officer, award, year):
    client.force_login(officer)
    later = award.years.get(fiscal_year=2027)
    codes = list(later.budget_lines.values_list("expense_category__code", flat=True))
    data = {f"y{later.pk}b-amount_{code}": "" for code in codes}
    data[f"y{later.pk}b-amount_{codes[0]}"] = "５０万"
    data[f"y{later.pk}b-amount_{codes[1]}"] = "30万円"
    client.post(reverse("awards:year_budget", args=[later.pk]), data)
    later.refresh_from_db()
    assert later.approved_yen == 800_000

    mark_year_reported(award_year=year, by=officer)
    client.post(reverse("awards:year_settle", args=[year.pk]),
                {f"y{year.pk}c-confirmed_yen": "９０万"})
    year.refresh_from_db()
    assert year.confirmed_yen == 900_000


def test_applicant_requests_a_change_in_man(client, applicant, year):
    client.force_login(applicant)
    response = client.post(reverse("awards:change_request_new", args=[year.pk]), {
        "from_category": year.budget_lines.get(expense_category__code="personnel")
        .expense_category_id,
        "to_category": year.budget_lines.get(expense_category__code="honoraria")
        .expense_category_id,
        "amount_yen": "５万", "reason": "講師謝金の増加",
    })
    assert response.status_code == 302
    assert year.change_requests.get().amount_yen == 50_000


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_bad_payment_amount_names_the_field_and_records_nothing(client, officer, year,
                                                                  language):
    client.force_login(officer)
    response = _post(client, reverse("awards:payment_record", args=[year.pk]), {
        f"y{year.pk}r-kind": "advance", f"y{year.pk}r-paid_on": "2026-05-01",
        f"y{year.pk}r-amount_yen": "百万",
    }, language)
    with translation.override(language):
        expected = "{}: {}".format(forms.RecordPaymentForm.base_fields["amount_yen"].label,
                                   forms.YenField.default_error_messages["invalid"])
    assert expected in response.content.decode()
    assert ("金額" in expected) if language == "ja" else ("Amount (yen)" in expected)
    assert not year.payments.exists()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_bad_change_amount_names_the_field(client, applicant, year, language):
    client.force_login(applicant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(reverse("awards:change_request_new", args=[year.pk]), {
        "amount_yen": "1.5円", "reason": "x",
    })
    with translation.override(language):
        label = str(forms.ChangeRequestForm.base_fields["amount_yen"].label)
        message = str(forms.YenField.default_error_messages["invalid"])
    body = response.content.decode()
    assert response.status_code == 200
    assert f"{label}: {message}" in body
    assert not year.change_requests.exists()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_bad_expense_actual_names_the_field(client, award, applicant, language):
    report = ReportFactory(award=award, kind="annual", by=applicant)
    client.force_login(applicant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    name = next(n for n in report_forms.ReportForm(report=report).fields if n.endswith("_actual_yen"))
    response = client.post(reverse("reporting:report_edit", args=[report.pk]), {
        "lock_version": report.lock_version, "act-TOTAL_FORMS": 0, "act-INITIAL_FORMS": 0,
        name: "十万", "action": "save",
    })
    with translation.override(language):
        label = str(report_forms.ReportForm(report=report).fields[name].label)
        message = str(forms.YenField.default_error_messages["invalid"])
    assert response.status_code == 200
    assert f"{label}: {message}" in response.content.decode()
