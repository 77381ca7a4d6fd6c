"""API for programmes: public reads; programme staff create and edit them
through grants.programme_services, with a ProgrammeEvent row each time."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from core.errors import DomainError
from core.policies import can_create_programme
from grants import programme_services
from grants.models import Programme

from .grants import FORBIDDEN, INVALID, ProgrammeOutput
from .mixins import RejectUnknownFieldsMixin, ScopedObjectMixin
from .pagination import StandardPagination
from .permissions import PolicyPermission


class ProgrammeManagedOutput(ProgrammeOutput):
    """What staff see after a write: also who staffs the programme."""

    staff = serializers.SerializerMethodField()

    class Meta(ProgrammeOutput.Meta):
        fields = [*ProgrammeOutput.Meta.fields, "staff"]

    def get_staff(self, programme) -> list[str]:
        return sorted(programme.staff.values_list("email", flat=True))


class _StaffEmails(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        from django.contrib.auth import get_user_model

        super().__init__(slug_field="email", queryset=get_user_model().objects.filter(
            is_active=True), **kwargs)


class ProgrammeInput(RejectUnknownFieldsMixin, serializers.Serializer):
    code = serializers.SlugField(max_length=30)
    name_ja = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description_ja = serializers.CharField(required=False, allow_blank=True)
    description_en = serializers.CharField(required=False, allow_blank=True)
    funder_name = serializers.CharField(max_length=200, required=False)
    staff = serializers.ListField(child=_StaffEmails(), required=False,
                                  help_text="E-mails of programme staff (default: you).")


class ProgrammeUpdateInput(ProgrammeInput):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


def _programme_values(data) -> dict:
    values = dict(data)
    if "staff" in values:
        values["staff"] = list(values["staff"])
    return values


def _refuse_domain(error: DomainError):
    """A refused programme write as a 400 naming the field (input errors)."""
    raise serializers.ValidationError({error.field or "non_field_errors": [str(error.message)]})


@extend_schema(tags=["programmes"])
class ProgrammeListApi(ScopedObjectMixin, generics.ListAPIView):
    """Programmes (public). Programme staff and superusers create them."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = ProgrammeOutput
    pagination_class = StandardPagination
    queryset = Programme.objects.all()

    @extend_schema(summary="Create a programme (you staff it)", request=ProgrammeInput,
                   responses={201: ProgrammeManagedOutput, **INVALID, **FORBIDDEN})
    def post(self, request):
        if not can_create_programme(request.user):
            raise PermissionDenied
        values = _programme_values(self.validated_input(ProgrammeInput))
        try:
            programme = programme_services.create_programme(by=request.user, **values)
        except DomainError as error:
            _refuse_domain(error)
        return Response(ProgrammeManagedOutput(programme).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["programmes"])
class ProgrammeDetailApi(ScopedObjectMixin, generics.RetrieveAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly, PolicyPermission]
    policy = "grants.manage_programme"
    read_policy = None
    serializer_class = ProgrammeOutput
    queryset = Programme.objects.all()

    @extend_schema(summary="Edit a programme (its staff)", request=ProgrammeUpdateInput,
                   responses={200: ProgrammeManagedOutput, **INVALID, **FORBIDDEN})
    def patch(self, request, pk):
        programme = self.get_object()
        values = _programme_values(self.validated_input(ProgrammeUpdateInput, partial=True))
        reason = values.pop("reason", "")
        try:
            programme = programme_services.update_programme(
                programme=programme, by=request.user, reason=reason, **values)
        except DomainError as error:
            _refuse_domain(error)
        return Response(ProgrammeManagedOutput(programme).data)


urlpatterns = [
    path("programmes/", ProgrammeListApi.as_view(), name="programme-list"),
    path("programmes/<int:pk>/", ProgrammeDetailApi.as_view(), name="programme-detail"),
]
