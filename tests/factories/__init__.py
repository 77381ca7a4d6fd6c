"""factory-boy factories, one module per app, all importable from here."""

from .accounts import *  # noqa: F403
from .applications import *  # noqa: F403
from .findings import *  # noqa: F403
from .grants import *  # noqa: F403
from .reporting import *  # noqa: F403
from .reviews import *  # noqa: F403
