"""factory-boy factories, one module per app, all importable from here."""

from .accounts import *  # noqa: F403
from .grants import *  # noqa: F403
