package extracttest

import "fmt"

// ScanPDF writes a one-page PDF without text whose page is the JPEG image
// jpeg of w × h pixels, stretched over an A4 page: a scanned letter.
func ScanPDF(jpeg []byte, w, h int) []byte {
	content := "q 595 0 0 842 0 0 cm /Im1 Do Q"
	return RawPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n%s\nendstream", w, h, len(jpeg), jpeg),
	)
}
