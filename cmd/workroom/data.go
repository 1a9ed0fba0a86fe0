package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/workroom/workroom/store"
)

// openData makes the data folder ready and opens the store in it. Each
// way it can fail is one line that says what is wrong with the folder,
// named as the operator gave it (shown): it cannot be made, it takes no
// writes, or another server holds it.
func openData(shown, data string) (*store.DB, error) {
	if err := prepareData(shown, data); err != nil {
		return nil, err
	}
	db, err := store.Open(filepath.Join(data, storeFile))
	var inUse *store.InUseError
	switch {
	case errors.As(err, &inUse):
		return nil, fmt.Errorf("data folder %s is in use by another workroom server (%s)", shown, inUse.Holder())
	case err != nil:
		return nil, fmt.Errorf("store: %w", err)
	}
	return db, nil
}

// prepareData makes the data folder when missing and checks it takes
// writes.
func prepareData(shown, data string) error {
	if err := os.MkdirAll(data, 0o700); err != nil {
		return fmt.Errorf("data folder %s cannot be created: %v", shown, err)
	}
	if err := probeWritable(data); err != nil {
		return fmt.Errorf("data folder %s is not writable: %v", shown, cause(err))
	}
	return nil
}

// probeWritable creates and removes a file in dir. Checking the mode bits
// would not do: they do not stop root, and say nothing of a read-only
// mount or a full disk.
func probeWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".writable-*")
	if err != nil {
		return err
	}
	name := f.Name()
	_, err = f.WriteString("ok")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if rerr := os.Remove(name); err == nil {
		err = rerr
	}
	return err
}

// cause is the system's reason without the path it repeats ("read-only
// file system", not "open /srv/data/.writable-123: read-only file
// system").
func cause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
