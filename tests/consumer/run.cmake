# Installs fundgap from BUILD_DIR into a scratch prefix, builds tests/consumer against
# it with find_package(fundgap), and runs it on Tower Hamlets: the library is usable
# from C++ on its own. Invoked by CTest with -DBUILD_DIR=... -DSOURCE_DIR=... -DWORK=...
file(REMOVE_RECURSE ${WORK})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK}/prefix
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(rc)
  message(FATAL_ERROR "install failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/consumer -B ${WORK}/build
                        -DCMAKE_PREFIX_PATH=${WORK}/prefix RESULT_VARIABLE rc OUTPUT_QUIET)
if(rc)
  message(FATAL_ERROR "configuring the consumer failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK}/build RESULT_VARIABLE rc OUTPUT_QUIET)
if(rc)
  message(FATAL_ERROR "building the consumer failed")
endif()
execute_process(COMMAND ${WORK}/build/consumer ${SOURCE_DIR}/scenarios/tower_hamlets_2019.yaml
                RESULT_VARIABLE rc OUTPUT_VARIABLE out)
# The seed's figure: a £60m do-nothing gap by 2021/22.
if(rc OR NOT out MATCHES "^60\\.[0-9]*\n[0-9]+\\.[0-9]+\\.[0-9]+\n$")
  message(FATAL_ERROR "consumer printed '${out}' (exit ${rc}); expected about 60")
endif()
