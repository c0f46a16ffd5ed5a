"""One module per page: its layout and its callbacks, registered on an app by `register(app)`."""

from dashboard.pages import about, active_learning, data, home, transfer_learning

PAGE_MODULES = (home, data, transfer_learning, active_learning, about)
