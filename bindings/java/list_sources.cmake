# Writes the .java files SWIG generated in DIR, one quoted path a line, to OUT: an @file for javac.
file(GLOB _files "${DIR}/*.java")
list(SORT _files)
set(_text "")
foreach(_f IN LISTS _files)
  string(APPEND _text "\"${_f}\"\n")
endforeach()
file(WRITE "${OUT}" "${_text}")
