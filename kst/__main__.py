from kst.cli import main

main()
