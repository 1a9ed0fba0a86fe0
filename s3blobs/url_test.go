package s3blobs_test

import (
	"strings"
	"testing"

	"github.com/workroom/workroom/s3blobs"
)

func TestParseURL_ReadsBucketEndpointRegionAndAddressing(t *testing.T) {
	for _, c := range []struct {
		url  string
		want s3blobs.Config
	}{
		{"s3://files", s3blobs.Config{Bucket: "files", Endpoint: s3blobs.DefaultEndpoint, Addressing: s3blobs.AddressingAuto}},
		{"s3://files?endpoint=minio.lan:9000&region=eu-west-1",
			s3blobs.Config{Bucket: "files", Endpoint: "minio.lan:9000", Region: "eu-west-1", Addressing: s3blobs.AddressingAuto}},
		{"s3://files?endpoint=http://127.0.0.1:7070",
			s3blobs.Config{Bucket: "files", Endpoint: "127.0.0.1:7070", Insecure: true, Addressing: s3blobs.AddressingAuto}},
		{"s3://files?endpoint=https://s3.example.com/&addressing=virtual",
			s3blobs.Config{Bucket: "files", Endpoint: "s3.example.com", Addressing: s3blobs.AddressingVirtual}},
		{"s3://files/workroom/prod/?addressing=path",
			s3blobs.Config{Bucket: "files", Prefix: "workroom/prod/", Endpoint: s3blobs.DefaultEndpoint, Addressing: s3blobs.AddressingPath}},
		{"s3://my.files-2?endpoint=[::1]:9000",
			s3blobs.Config{Bucket: "my.files-2", Endpoint: "[::1]:9000", Addressing: s3blobs.AddressingAuto}},
	} {
		got, err := s3blobs.ParseURL(c.url)
		if err != nil {
			t.Errorf("%s: %v", c.url, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s:\ngot  %+v\nwant %+v", c.url, got, c.want)
		}
	}
}

func TestParseURL_RefusesWhatIsNotABlobStoreURL(t *testing.T) {
	for _, c := range []struct{ url, want string }{
		{"/srv/blobs", "named by an s3:// URL"},
		{"https://files.s3.amazonaws.com", "named by an s3:// URL"},
		{"s3://", "names no bucket"},
		{"s3:files", "names no bucket"},
		{"s3://Files", "is not a bucket name"},
		{"s3://-files", "is not a bucket name"},
		{"s3://ab", "is not a bucket name"},
		{"s3://AKIA:secret@files", "credentials do not go in the URL"},
		{"s3://files?endpoint=localhost:9000&insecure=1", `unknown parameter "insecure"`},
		{"s3://files?endpoint=ftp://host", "the scheme is http:// or https://"},
		{"s3://files?endpoint=host:port", "is not HOST or HOST:PORT"},
		{"s3://files?endpoint=host:99999", "is not a port"},
		{"s3://files?endpoint=host/path", "is not HOST or HOST:PORT"},
		{"s3://files?region=a&region=b", "region is given 2 times"},
		{"s3://files?addressing=dns", "addressing is path, virtual or auto"},
		{"s3://files?endpoint=%zz", "is not a valid query"},
		{"s3://files\x7f", "is not a URL"},
	} {
		_, err := s3blobs.ParseURL(c.url)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want a refusal saying %q", c.url, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: the refusal shows the secret: %v", c.url, err)
		}
	}
}
