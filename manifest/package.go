package manifest

// OutlookPackage returns the Microsoft 365 app package (outlook-app.zip)
// to upload in the Microsoft 365 admin center or to sideload: the unified
// manifest.json, its English strings en-us.json, the 192×192 colour icon
// color.png and the 32×32 outline icon outline.png, all at the zip's root.
func OutlookPackage(opts Options) ([]byte, error) {
	r, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	if err := r.requireHTTPS(); err != nil {
		return nil, err
	}
	m, err := marshalJSON(r.unified())
	if err != nil {
		return nil, err
	}
	en, err := r.unifiedEnglish()
	if err != nil {
		return nil, err
	}
	color, err := Icon(192)
	if err != nil {
		return nil, err
	}
	outline, err := OutlineIcon()
	if err != nil {
		return nil, err
	}
	return zipFiles(map[string][]byte{
		"manifest.json": m,
		"en-us.json":    en,
		"color.png":     color,
		"outline.png":   outline,
	})
}
