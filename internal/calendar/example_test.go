package calendar_test

import (
	"fmt"
	"time"

	"github.com/plume-admin/plume/internal/calendar"
)

func Example() {
	d := time.Date(2026, time.March, 2, 10, 14, 0, 0, time.UTC)
	fmt.Println(calendar.FrenchWeekday(d.Weekday()), d.Day(), calendar.FrenchMonth(d.Month()))
	m, _ := calendar.Month("Févr")
	fmt.Println(m)
	// Output:
	// lundi 2 mars
	// February
}
