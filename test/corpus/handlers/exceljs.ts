import ExcelJS from 'exceljs';
export const handler = async () => {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('orders').addRow(['id', 7]);
  const bytes = await book.xlsx.writeBuffer();
  const back = new ExcelJS.Workbook();
  await back.xlsx.load(bytes as any);
  return { ok: back.getWorksheet('orders')!.getRow(1).getCell(2).value === 7 };
};
