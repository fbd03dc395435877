"""Entry script of the frozen ``dtidesk-gui`` program (build.spec); the same as ``app.gui.launch:main``."""

from app.gui.launch import main

if __name__ == "__main__":  # a spawned worker re-imports nothing here: main() runs freeze_support() first
    main()
