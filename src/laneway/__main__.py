from laneway.cli import main

raise SystemExit(main())
