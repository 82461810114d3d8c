from bot.cli import main

main(prog_name="sitrep")  # help and errors read the same as the console script
