from geo.cli.commands import main

raise SystemExit(main())
