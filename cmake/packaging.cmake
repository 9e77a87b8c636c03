# Installation layout and the Debian package (cpack -G DEB): the gateway
# and client binaries, the systemd unit and its system user, a commented
# default configuration, the monitoring files and the OpenAPI description.
include(GNUInstallDirs)
set(PACKAGING_DIR ${PROJECT_SOURCE_DIR}/packaging)

install(TARGETS choria-rest-gateway choria-gw
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Units and sysusers files go under /usr/lib, which systemd reads on
# Debian 12 and later (merged /usr).
install(FILES ${PACKAGING_DIR}/choria-rest-gateway.service
  DESTINATION lib/systemd/system)
install(FILES ${PACKAGING_DIR}/choria-rest-gateway.sysusers
  DESTINATION lib/sysusers.d RENAME choria-rest-gateway.conf)

set(CONFIG_DIR /etc/choria-rest-gateway)
install(FILES
  ${PACKAGING_DIR}/gateway.conf
  ${PACKAGING_DIR}/users.json
  ${PACKAGING_DIR}/policy.json
  DESTINATION ${CONFIG_DIR}
  PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
install(DIRECTORY DESTINATION ${CONFIG_DIR}/ddl)
install(DIRECTORY DESTINATION ${CONFIG_DIR}/ssl)

set(SHARE_DIR ${CMAKE_INSTALL_DATAROOTDIR}/choria-rest-gateway)
if(EXISTS ${PROJECT_SOURCE_DIR}/monitoring)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/monitoring DESTINATION ${SHARE_DIR})
endif()
install(FILES ${PROJECT_SOURCE_DIR}/docs/openapi.json DESTINATION ${SHARE_DIR})
install(FILES ${PROJECT_SOURCE_DIR}/README.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_PACKAGE_NAME choria-rest-gateway)
set(CPACK_PACKAGE_VENDOR "choria-rest-gateway developers")
set(CPACK_PACKAGE_CONTACT "choria-rest-gateway developers <root@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "REST gateway for Choria and MCollective fleets")
set(CPACK_PACKAGE_DESCRIPTION
  "Lets people and automation drive a Choria fleet over HTTP: log in for a
 token, submit RPC requests signed with the gateway's privileged
 certificate, and read status and replies from a durable event log.
 Includes the choria-gw command-line client.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "nats-server")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${PACKAGING_DIR}/conffiles
  ${PACKAGING_DIR}/postinst
  ${PACKAGING_DIR}/prerm
  ${PACKAGING_DIR}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
