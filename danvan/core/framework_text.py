"""Django's own messages that our pages can show and Django's Vietnamese catalogue leaves
in English ("- Select an option -" above every list, "Ensure this value has at most 200
characters", the password rules on the sign-up page...).

Listed here with their exact English text so that `makemessages` copies them into our
catalogue, where `locale/vi` translates them: the project's catalogue takes precedence over
Django's, so every page, the admin's included, shows them in Vietnamese. A test compares
this list with the messages Django actually uses, so an upgrade that rewords one is seen.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

FRAMEWORK_MESSAGES = (
    _("- Select an option -"),  # the empty choice of a list (BLANK_CHOICE_LABEL)
    _("Null characters are not allowed."),  # fields outside our forms (third-party admin)
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    _("Ensure this value is a multiple of step size %(limit_value)s."),
    _("Enter a valid domain name."),
    _(
        "File extension “%(extension)s” is not allowed. Allowed extensions are: %(allowed_extensions)s."
    ),
    _("“%(pk)s” is not a valid value."),
    _("Enter a complete value."),
    _("Enter a valid duration."),
    _("The number of days must be between {min_days} and {max_days}."),
    _("Enter a valid UUID."),
    _("Enter a valid JSON."),
    _(
        "ManagementForm data is missing or has been tampered with. Missing fields: "
        "%(field_names)s. You may need to file a bug report if the issue persists."
    ),
    _("The inline value did not match the parent instance."),
    ngettext_lazy(
        "Please submit at most %(num)d form.", "Please submit at most %(num)d forms.", "num"
    ),
    ngettext_lazy(
        "Please submit at least %(num)d form.", "Please submit at least %(num)d forms.", "num"
    ),
)

# The admin's own words that Django's Vietnamese catalogue lacks (its newer templates: the
# theme switch, breadcrumbs, filters, pagination...).
ADMIN_MESSAGES = (
    _("Select this object for an action - {}"),
    _('The app "%s" could not be found.'),
    ngettext_lazy("…and %(count)d more object.", "…and %(count)d more objects.", "count"),
    _("Run"),
    _("Breadcrumbs"),
    _("Model name"),
    _("Add link"),
    _("Change or view list link"),
    _("After you’ve created a user, you’ll be able to edit more user options."),
    _("Error:"),
    _("Set password"),
    _("This action will <strong>enable</strong> password-based authentication for this user."),
    _("Disable password-based authentication"),
    _("Enable password-based authentication"),
    _("Skip to main content"),
    _("Hide counts"),
    _("Show counts"),
    _("Toggle theme (current theme: auto)"),
    _("Toggle theme (current theme: light)"),
    _("Toggle theme (current theme: dark)"),
    _("Filter by %(field_name)s"),
    _(
        "Deleting the %(object_name)s “%(escaped_object)s” would result in deleting related "
        "objects, but your account doesn't have permission to delete the following types of "
        "objects:"
    ),
    _(
        "Deleting the %(object_name)s “%(escaped_object)s” would require deleting the following "
        "protected related objects:"
    ),
    _(
        "Are you sure you want to delete the %(object_name)s “%(escaped_object)s”? All of the "
        "following related items will be deleted:"
    ),
    _("Added:"),
    _("Changed:"),
    _("Deleted:"),
    _("Forgotten your login credentials?"),
    _("Toggle navigation"),
    _("Sidebar"),
    _("Filter navigation items"),
    _("Pagination %(name)s entries"),
    ngettext_lazy("entry", "entries", "count"),
    _("Pagination %(name)s"),
    _("Search %(name)s"),
    _("View selected %(model)s"),
    _("Logout"),
    _("In case you’ve forgotten, you are:"),
    _("Select all objects on this page for an action"),
    pgettext_lazy("Task", "Ready"),  # a background task's states, on its admin page
    pgettext_lazy("Task", "Running"),
    pgettext_lazy("Task", "Failed"),
    pgettext_lazy("Task", "Successful"),
)

# Third-party apps' words on the admin pages (django-axes: sign-in attempts and lockouts;
# django-tasks-db: background tasks), which ship no Vietnamese.
THIRD_PARTY_MESSAGES = (
    _("User Agent"), _("IP Address"), _("Username"), _("HTTP Accept"), _("Path"),
    _("Attempt Time"), _("Access lock out"), _("access failure"), _("access failures"),
    _("GET Data"), _("POST Data"), _("Failed Logins"), _("access attempt"),
    _("access attempts"), _("Access Attempt"), _("Expires At"),
    _("The time when access attempt expires and is no longer valid."),
    _("access attempt expiration"), _("access attempt expirations"), _("Logout Time"),
    _("Session key hash (sha256)"), _("access log"), _("access logs"), _("Locked Out"),
    _("Form Data"), _("Meta Data"), _("Clean up expired attempts"), _("Not set"),
    _("Attempt Remaining"),
    _("status"), _("enqueued at"), _("started at"), _("finished at"), _("args kwargs"),
    _("priority"), _("task path"), _("worker id"), _("queue name"), _("backend name"),
    _("run after"), _("return value"), _("exception class path"), _("traceback"),
    _("Task Result"), _("Task Results"),
)  # fmt: skip
