"""Reading: the bundled record and its tables, the files people bring, boundary layouts."""
