"""One module per page: its layout and its callbacks, registered on an app by `register(app)`."""

from dashboard.pages import about, active_learning, data, home

PAGE_MODULES = (home, data, active_learning, about)
