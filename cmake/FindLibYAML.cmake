# Finds libyaml (Debian: libyaml-dev), the C library fundgap reads scenario files with,
# and defines the imported target LibYAML::LibYAML.
#
# Found by its header and library rather than pkg-config, like FindXlsxWriter.cmake, so
# that neither a build nor a project that links the installed (static) fundgap needs
# pkg-config; Debian ships no CMake package for it. Installed beside fundgapConfig.cmake
# for find_dependency.
find_path(LibYAML_INCLUDE_DIR yaml.h)
find_library(LibYAML_LIBRARY NAMES yaml)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(LibYAML REQUIRED_VARS LibYAML_LIBRARY LibYAML_INCLUDE_DIR)

if(LibYAML_FOUND AND NOT TARGET LibYAML::LibYAML)
  add_library(LibYAML::LibYAML UNKNOWN IMPORTED)
  set_target_properties(LibYAML::LibYAML PROPERTIES
    IMPORTED_LOCATION ${LibYAML_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES ${LibYAML_INCLUDE_DIR})
endif()
mark_as_advanced(LibYAML_INCLUDE_DIR LibYAML_LIBRARY)
