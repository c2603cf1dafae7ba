import FinDocCommands

Findoc.main()
