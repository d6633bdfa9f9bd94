package config

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

// This file applies the PLUME_* environment overrides to the configuration.

// ApplyEnv applies PLUME_* variables. Every scalar key has one: the YAML path
// in upper case joined by "_" (server.listen → PLUME_SERVER_LISTEN; lists are
// comma-separated). PLUME_LLM_BASE_URL, PLUME_LLM_MODEL, PLUME_LLM_API_KEY,
// PLUME_LLM_KIND, PLUME_LLM_NAME, PLUME_LLM_CLEARED, PLUME_LLM_CONTEXT_WINDOW
// and PLUME_LLM_MAX_OUTPUT set the first endpoint. An endpoint given this
// way without PLUME_LLM_CLEARED is cleared for no marking.
func (c *Config) ApplyEnv(env map[string]string) error {
	keys := make([]string, 0, len(env))
	for k := range env {
		if strings.HasPrefix(k, "PLUME_") {
			keys = append(keys, k)
		}
	}
	// The token budgets go last, once the variables naming a model have
	// made the endpoint they apply to.
	sort.SliceStable(keys, func(i, j int) bool {
		return !isBudgetEnv(keys[i]) && isBudgetEnv(keys[j]) || (isBudgetEnv(keys[i]) == isBudgetEnv(keys[j]) && keys[i] < keys[j])
	})
	for _, k := range keys {
		v := env[k]
		if ok, err := c.applyEndpointEnv(k, v); ok || err != nil {
			if err != nil {
				return err
			}
			continue
		}
		if _, err := setByEnv(reflect.ValueOf(c).Elem(), "PLUME", k, v); err != nil {
			return err
		}
	}
	return nil
}

// applyEndpointEnv handles the PLUME_LLM_* shortcuts for the first endpoint.
func (c *Config) applyEndpointEnv(k, v string) (bool, error) {
	field := map[string]string{
		"PLUME_LLM_BASE_URL": "base_url", "PLUME_LLM_MODEL": "model", "PLUME_LLM_API_KEY": "api_key",
		"PLUME_LLM_KIND": "kind", "PLUME_LLM_NAME": "name", "PLUME_LLM_CLEARED": "cleared",
		"PLUME_LLM_CONTEXT_WINDOW": "context_window", "PLUME_LLM_MAX_OUTPUT": "max_output",
	}[k]
	if field == "" || v == "" {
		return field != "", nil
	}
	if (field == "context_window" || field == "max_output") && len(c.LLM.Endpoints) == 0 {
		return true, nil // a budget alone names no model: the offline engine answers
	}
	if len(c.LLM.Endpoints) == 0 {
		c.LLM.Endpoints = append(c.LLM.Endpoints, EndpointConfig{})
	}
	e := &c.LLM.Endpoints[0]
	switch field {
	case "base_url":
		e.BaseURL = v
	case "model":
		e.Model = v
	case "api_key":
		e.APIKey = v
	case "kind":
		e.Kind = v
	case "name":
		e.Name = v
	case "cleared":
		e.Cleared = splitList(v)
	case "context_window", "max_output":
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return true, fmt.Errorf("%w: %s: want a number of tokens, got %q", ErrConfig, k, v)
		}
		if field == "context_window" {
			e.ContextWindow = n
		} else {
			e.MaxOutput = n
		}
	}
	return true, nil
}

// setByEnv walks v's yaml-tagged fields looking for the one named key.
func setByEnv(v reflect.Value, prefix, key, val string) (bool, error) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
		if tag == "" || tag == "-" {
			continue
		}
		name := prefix + "_" + strings.ToUpper(tag)
		fv := v.Field(i)
		if fv.Kind() == reflect.Struct && f.Type != reflect.TypeOf(time.Duration(0)) {
			if strings.HasPrefix(key, name+"_") {
				if ok, err := setByEnv(fv, name, key, val); ok || err != nil {
					return ok, err
				}
			}
			continue
		}
		if name != key {
			continue
		}
		if err := setScalar(fv, val); err != nil {
			return true, fmt.Errorf("%w: %s: %w", ErrConfig, key, err)
		}
		return true, nil
	}
	return false, nil
}

// setScalar parses s into a string, bool, int, duration or string list field.
func setScalar(fv reflect.Value, s string) error {
	switch {
	case fv.Type() == reflect.TypeOf(time.Duration(0)):
		d, err := time.ParseDuration(s)
		if err != nil {
			return err
		}
		fv.SetInt(int64(d))
	case fv.Kind() == reflect.String:
		fv.SetString(s)
	case fv.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return err
		}
		fv.SetBool(b)
	case fv.Kind() == reflect.Int || fv.Kind() == reflect.Int64:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return err
		}
		fv.SetInt(n)
	case fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.String:
		fv.Set(reflect.ValueOf(splitList(s)))
	default:
		return errors.New("cannot be set from the environment; use plume.yaml")
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func isBudgetEnv(k string) bool {
	return k == "PLUME_LLM_CONTEXT_WINDOW" || k == "PLUME_LLM_MAX_OUTPUT"
}
