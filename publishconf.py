"""Production overrides only; every other setting lives in pelicanconf.py.

`invoke publish` builds with this file and publishes output/ to PUBLISH_TO;
`invoke preview` builds with it too (SITE_PREVIEW=1), showing drafts and
scheduled posts, marked, on a site no search engine indexes, and publishes
it to PREVIEW_TO (or serves it on this computer). docs/operations.md says
how to set them; the publishing workflow sets them from the repository's
settings.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F403
from pelicanconf import PRODUCTION_SITEURL, SITE_META  # noqa: E402

SITEURL = os.environ.get("SITEURL", PRODUCTION_SITEURL)
RELATIVE_URLS = False

# Where the site goes: "rsync:user@host:/folder" (a web server's folder, over
# SSH), "rsync:/folder" (a folder on this computer) or "git:remote/branch" (a
# branch a static host serves, such as "git:origin/gh-pages").
PUBLISH_TO = os.environ.get("PUBLISH_TO", "")
# Where `invoke preview` puts the preview, in the same forms, and the address
# it is seen at (the preview's links lead there). Without PREVIEW_TO the
# preview is served on this computer at PREVIEW_SITEURL.
PREVIEW_TO = os.environ.get("PREVIEW_TO", "")
PREVIEW_SITEURL = os.environ.get("PREVIEW_SITEURL", "http://127.0.0.1:8001")

PREVIEW = os.environ.get("SITE_PREVIEW") == "1"
if PREVIEW:
    # Drafts and scheduled posts shown and marked (pelicanconf.py's DRAFT_*),
    # a Preview bar on every page, nothing indexed.
    SITEURL = PREVIEW_SITEURL
    SITE_META = {**SITE_META, "robots_disallow": ["/"]}
else:
    # Drafts never reach the production site.
    DRAFT_SAVE_AS = ""
    DRAFT_PAGE_SAVE_AS = ""
