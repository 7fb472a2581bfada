"""The region an item concerns: a district, optionally narrowed to one of its villages."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionMixin(models.Model):
    district = models.ForeignKey(
        "cms.District", verbose_name=_("district"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        "cms.Village", verbose_name=_("village"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    def region_errors(self) -> dict:
        """A village implies its district; a village from another district is an editor's slip."""
        if not self.village_id:
            return {}
        if not self.district_id:
            self.district_id = self.village.district_id
            return {}
        if self.village.district_id != self.district_id:
            return {
                "village": _("This village is not in the chosen district. Choose a village of %(district)s.")
                % {"district": self.district.name}
            }
        return {}

    @property
    def region_label(self) -> str:
        if self.village_id:
            return f"{self.village.name}, {self.district.name if self.district_id else self.village.district.name}"
        return self.district.name if self.district_id else ""
