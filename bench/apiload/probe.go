package main

import (
	"fmt"
	"github.com/plume-admin/plume/assist/fakellm"
	"net/http"
	"os"
	"runtime/pprof"
	"strings"
	"time"
)

func probe() {
	url, _, stop, err := stack(fakellmText(), thread20())
	if err != nil {
		panic(err)
	}
	defer stop()
	f, _ := os.Create("/tmp/addin/cpu.prof")
	pprof.StartCPUProfile(f)
	defer pprof.StopCPUProfile()
	for i := 0; i < 8; i++ {
		req, _ := http.NewRequest("POST", url+"/api/v1/thread/summary", strings.NewReader(`{"message":{"source":"imap","messageId":"<bench-20@prefecture.example>"}}`))
		req.Header.Set("Authorization", "Bearer "+token)
		t0 := time.Now()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Println("single", resp.StatusCode, time.Since(t0))
	}
}

func fakellmText() fakellm.Response { return fakellm.Response{Text: summaryJSON} }
