"""Django's own messages that our pages can show and Django's Vietnamese catalogue leaves
in English ("- Select an option -" above every list, "Ensure this value has at most 200
characters", the password rules on the sign-up page...).

Listed here with their exact English text so that `makemessages` copies them into our
catalogue, where `locale/vi` translates them: the project's catalogue takes precedence over
Django's, so every page, the admin's included, shows them in Vietnamese. A test compares
this list with the messages Django actually uses, so an upgrade that rewords one is seen.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

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
