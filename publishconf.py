"""Production overrides only; every other setting lives in pelicanconf.py."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F403
from pelicanconf import PRODUCTION_SITEURL  # noqa: E402

SITEURL = os.environ.get("SITEURL", PRODUCTION_SITEURL)
RELATIVE_URLS = False
# Drafts never reach the production site.
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
