"""Local partners (Sinnet-, 21Vianet-like): domestic licence holders that operate a foreign
cloud. A licence is their whole business, so they comply at once and choose how hard to police
customers: licence risk against the cost of monitoring and of the customers it drives away."""

from __future__ import annotations

from .cloud import (charge_monitoring, circumvention_left, police_customers,
                    send_warning_letters)
from .foreign_platforms import optimal_effort
from .regulated import RegulatedEntity


class LocalPartner(RegulatedEntity):
    addressed_by = frozenset({"ban_cloud_circumvention", "data_localization"})

    def __init__(self, model, name: str, cloud) -> None:
        super().__init__(model, name, size=cloud.size)
        self.cloud = cloud
        self.cloud_foreign = True          # becomes False once it takes the cloud over
        self.effort = 0.0
        cloud.partner = self
        p = model.p        # the partner's cut is partly passed on to the cloud's customers
        cloud.mark_up("partner", p["partner_cost_pass_through"] * p["partner_revenue_share"])

    @property
    def foreign(self) -> bool:
        """Counted with the foreign platforms while it operates one."""
        return self.cloud_foreign

    def on_obliged(self, action: str) -> None:
        self.comply(action)
        if action == "ban_cloud_circumvention":
            send_warning_letters(self.model, self.cloud)
        elif action == "data_localization":
            self.cloud.localize(self.model.p["data_localization_cost"])

    def violation_probability(self, action: str, detection: float) -> float:
        """Under the ban, an audit finds circumvention it missed: detection x (1 - effort),
        if any remains on its cloud."""
        if action != "ban_cloud_circumvention" or action not in self.obligations:
            return super().violation_probability(action, detection)
        left = circumvention_left(self.model, self.cloud)
        return detection * (1.0 - self.effort) if left else 0.0

    def step(self) -> None:
        if not self.operating or "ban_cloud_circumvention" not in self.obligations:
            self.effort = 0.0
            return
        m, p = self.model, self.model.p
        q = m.audit_rate(self) * p["audit_detection_prob"]
        self.effort = optimal_effort(q, p["planning_horizon_days"], p["licence_value"],
                                     p["monitoring_cost"])
        charge_monitoring(self.cloud, p, self.effort)
        police_customers(m, self.cloud, self.effort, p["partner_detection_rate"])

    def withdraw(self, revoked: bool = False) -> None:
        """A revoked partner can no longer operate the cloud: it closes."""
        super().withdraw(revoked)
        self.effort = 0.0
        if self.cloud.operating:
            self.cloud.operating = False
            self.model.close_cloud(self.cloud)
