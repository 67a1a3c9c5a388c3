from cycleaudit.cli import main

main()
