"""API for organisations: list (scoped), create (the creator becomes owner),
detail and PATCH by owners. Writes go through accounts.services."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import forms as account_forms
from accounts.filters import OrganisationFilter
from accounts.models import Membership, Organisation
from accounts.services import create_organisation, update_organisation
from core.local_government_code import validate_local_government_code
from core.policies import can_create_organisation
from core.prefectures import Prefecture
from core.vocab import LegalForm

from .errors import DetailOutput, DomainErrorOutput
from .mixins import RejectUnknownFieldsMixin, ScopedObjectMixin
from .pagination import StandardPagination
from .permissions import PolicyPermission


class MemberOutput(serializers.ModelSerializer):
    user_id = serializers.IntegerField(read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user_id", "full_name", "email", "role"]


class OrganisationOutput(serializers.ModelSerializer):
    legal_form_label = serializers.CharField(source="get_legal_form_display", read_only=True)
    prefecture_label = serializers.CharField(source="get_prefecture_display", read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "name_kana",
            "legal_form",
            "legal_form_label",
            "corporate_number",
            "local_government_code",
            "representative_name",
            "representative_title",
            "postal_code",
            "prefecture",
            "prefecture_label",
            "municipality",
            "address",
            "contact_email",
            "phone",
            "website",
            "created_at",
            "updated_at",
        ]


class OrganisationDetailOutput(OrganisationOutput):
    members = MemberOutput(source="memberships", many=True, read_only=True)

    class Meta(OrganisationOutput.Meta):
        fields = [*OrganisationOutput.Meta.fields, "members"]


def _shape(cleaner, value):
    """Run a shape check shared with accounts.forms (same messages)."""
    try:
        return cleaner(value)
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.messages) from error


class OrganisationInput(RejectUnknownFieldsMixin, serializers.Serializer):
    """Shape only. 法人番号 (corporate number) is normalised: full-width
    digits and hyphens are accepted."""

    name = serializers.CharField(max_length=200)
    name_kana = serializers.CharField(max_length=200)
    legal_form = serializers.ChoiceField(choices=LegalForm.choices)
    corporate_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    local_government_code = serializers.CharField(
        max_length=20, required=False, allow_blank=True,
        help_text="地方公共団体コード: 6 digits with the check digit; local governments only.")
    representative_name = serializers.CharField(max_length=150)
    representative_title = serializers.CharField(max_length=100, required=False, allow_blank=True)
    postal_code = serializers.CharField(max_length=10, required=False, allow_blank=True)
    prefecture = serializers.ChoiceField(choices=Prefecture.choices)
    municipality = serializers.CharField(max_length=100)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_email = serializers.EmailField()
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    website = serializers.URLField(required=False, allow_blank=True)

    def validate_name_kana(self, value):
        return _shape(account_forms.clean_kana, value)

    def validate_corporate_number(self, value):
        return _shape(account_forms.clean_corporate_number, value)

    def validate_local_government_code(self, value):
        return _shape(validate_local_government_code, value) if value.strip() else ""

    def validate_postal_code(self, value):
        return _shape(account_forms.clean_postal_code, value)

    def validate_phone(self, value):
        return _shape(account_forms.clean_phone, value)


TAG = "organisations"
FORBIDDEN = {
    401: OpenApiResponse(DetailOutput, description="Not signed in."),
    403: OpenApiResponse(DetailOutput, description="Signed in without the right."),
}
NOT_FOUND = {
    404: OpenApiResponse(DetailOutput, description="No such organisation you can see.")
}
CONFLICT = {
    409: OpenApiResponse(
        DomainErrorOutput,
        description="Refused, nothing changed (e.g. corporate_number_taken).",
    )
}
INVALID = {400: OpenApiResponse(description="Invalid input; messages per field.")}


def organisations_with_members():
    return Organisation.objects.prefetch_related("memberships__user")


class OrganisationListApi(ScopedObjectMixin, generics.ListAPIView):
    """Staff and oversight list every organisation (filters: legal_form,
    prefecture, search); applicants list their own; reviewers none."""

    serializer_class = OrganisationOutput
    pagination_class = StandardPagination
    filterset_class = OrganisationFilter

    def get_queryset(self):
        return Organisation.objects.visible_to(self.request.user).order_by("name", "id")

    @extend_schema(tags=[TAG], summary="List organisations you can see")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG],
        summary="Register an organisation; you become its owner",
        request=OrganisationInput,
        responses={201: OrganisationDetailOutput, **INVALID, **FORBIDDEN, **CONFLICT},
    )
    def post(self, request):
        if not can_create_organisation(request.user):
            raise PermissionDenied(_("Only applicant accounts register organisations."))
        values = self.validated_input(OrganisationInput)
        organisation = create_organisation(by=request.user, **values)
        return Response(
            OrganisationDetailOutput(organisations_with_members().get(pk=organisation.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class OrganisationDetailApi(ScopedObjectMixin, APIView):
    """Members, staff and oversight read; owners PATCH."""

    permission_classes = [IsAuthenticated, PolicyPermission]
    policy = "accounts.manage_organisation"
    read_policy = None  # the scope is exactly who may read

    @extend_schema(
        tags=[TAG], summary="An organisation with its members",
        responses={200: OrganisationDetailOutput, **FORBIDDEN, **NOT_FOUND},
    )
    def get(self, request, pk):
        organisation = self.get_scoped_object(organisations_with_members(), pk=pk)
        return Response(OrganisationDetailOutput(organisation).data)

    @extend_schema(
        tags=[TAG], summary="Change an organisation's details (owners)",
        request=OrganisationInput,
        responses={200: OrganisationDetailOutput, **INVALID, **FORBIDDEN, **NOT_FOUND, **CONFLICT},
    )
    def patch(self, request, pk):
        organisation = self.get_scoped_object(Organisation.objects, pk=pk)
        serializer = OrganisationInput(
            organisation, data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        update_organisation(organisation=organisation, by=request.user, **serializer.validated_data)
        return Response(OrganisationDetailOutput(organisations_with_members().get(pk=pk)).data)


urlpatterns = [
    path("organisations/", OrganisationListApi.as_view(), name="organisation-list"),
    path("organisations/<int:pk>/", OrganisationDetailApi.as_view(), name="organisation-detail"),
]
