"""The admin's screens: model views by area (books, oversight, reference) and the pages beyond lists."""
