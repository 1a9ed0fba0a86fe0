package postgres

import "github.com/workroom/workroom"

// errTODO is what an unwritten method returns (stubs_files.go). Every
// core method is written; delete this file with the last stub.
var errTODO = workroom.Errorf(workroom.EUNAVAILABLE, "not written yet")
