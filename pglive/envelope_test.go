package pglive

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/workroom/workroom"
)

// Every field of every event survives the way to another front end: an
// event is filled, field by field, with values that are not zero, and
// must come back from JSON equal. A field added later without a JSON
// name, or marked json:"-", fails here before it goes missing on the
// screens of the other front ends.
func TestEnvelope_EveryEventFieldCrosses(t *testing.T) {
	var ev workroom.Event
	fill(reflect.ValueOf(&ev).Elem(), 0)
	b, err := json.Marshal(envelope{Event: &ev, To: []workroom.UserID{1}})
	if err != nil {
		t.Fatal(err)
	}
	var got envelope
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*got.Event, ev) {
		t.Fatalf("the event changed on the way:\n got %s\nwant %+v", b, ev)
	}
}

// fill sets every field it can reach to a value that is not zero.
func fill(v reflect.Value, depth int) {
	if depth > 6 {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), depth+1)
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth+1)
			}
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), depth+1)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, depth+1)
		fill(e, depth+1)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(3)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(3)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1.5)
	}
}
