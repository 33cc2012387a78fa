# Finds libxlsxwriter (Debian: libxlsxwriter-dev), the C library fundgap writes Excel
# workbooks with, and defines the imported target XlsxWriter::XlsxWriter.
#
# Found by its header and library rather than pkg-config, so that neither a build nor a
# project that links the installed fundgap needs pkg-config; Debian ships no CMake
# package for it. Installed beside fundgapConfig.cmake for find_dependency.
find_path(XlsxWriter_INCLUDE_DIR xlsxwriter.h)
find_library(XlsxWriter_LIBRARY NAMES xlsxwriter)
if(XlsxWriter_INCLUDE_DIR AND EXISTS ${XlsxWriter_INCLUDE_DIR}/xlsxwriter.h)
  file(STRINGS ${XlsxWriter_INCLUDE_DIR}/xlsxwriter.h _xlsxwriter_version REGEX "#define LXW_VERSION \"")
  string(REGEX REPLACE ".*\"([^\"]+)\".*" "\\1" XlsxWriter_VERSION "${_xlsxwriter_version}")
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(XlsxWriter
  REQUIRED_VARS XlsxWriter_LIBRARY XlsxWriter_INCLUDE_DIR
  VERSION_VAR XlsxWriter_VERSION)

if(XlsxWriter_FOUND AND NOT TARGET XlsxWriter::XlsxWriter)
  add_library(XlsxWriter::XlsxWriter UNKNOWN IMPORTED)
  set_target_properties(XlsxWriter::XlsxWriter PROPERTIES
    IMPORTED_LOCATION ${XlsxWriter_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES ${XlsxWriter_INCLUDE_DIR})
endif()
mark_as_advanced(XlsxWriter_INCLUDE_DIR XlsxWriter_LIBRARY)
