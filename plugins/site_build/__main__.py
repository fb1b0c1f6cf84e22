import sys

from site_build import main

sys.exit(main())
