"""Who may use the data-protection pages (rules; no model permissions).

* privacy.view_register_staff: every staff role (the register with model and field names);
* privacy.handle_rights_request: the administrators, who handle requests from the public
  about their personal data (registrator and data-protection work): search, export, erase.
"""

import rules

from torget.accounts.permissions import has_staff_role, is_administrator

rules.add_perm("privacy.view_register_staff", has_staff_role)
rules.add_perm("privacy.handle_rights_request", is_administrator)
