"""``python -m fedhpd_client`` (see ``fedhpd_client.cli``)."""
import sys

from .cli import main

sys.exit(main())
